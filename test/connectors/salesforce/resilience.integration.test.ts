/** 5xx answers, timeouts and dropped connections from the simulator: bounded retries, then RetryableError. */
import { RetryableError } from '../../../connectors/errors';
import { callTotals } from '../../../connectors/accounting';
import { baseConfig, connector, redisFixture, rejection, type RedisFixture } from './helpers';
import { startSimulator, type RunningSimulator } from './sim';

let sim: RunningSimulator;
let redis: RedisFixture;
beforeEach(async () => {
  sim = await startSimulator();
  redis = redisFixture();
});
afterEach(async () => {
  await sim.close();
  await redis.close();
});
const config = () => baseConfig({ SALESFORCE_INSTANCE_URL: sim.url, SALESFORCE_ACCESS_TOKEN: 'sim-token' });
const probe = [{ hubspotId: '1', email: 'a@b.example' }];

describe('transient failures', () => {
  it('retries 5xx answers and succeeds when one gets through', async () => {
    sim.control.faults.update({ seed: 4, serverErrorRate: 0.5 });
    const sf = connector(redis, config(), { requestAttempts: 8 });
    const results = await sf.match(probe);
    expect(results.get('1')?.via).toBe('none');
    expect(sim.control.stats().faults.injected.server_error).toBeGreaterThan(0);
  });

  it('gives up after the configured attempts with a RetryableError, every attempt counted', async () => {
    sim.control.faults.update({ seed: 4, serverErrorRate: 1 });
    const before = (await callTotals()).salesforce.byEndpoint['GET /limits'] ?? 0;
    const sf = connector(redis, config(), { requestAttempts: 3 });
    const error = await rejection(sf.match(probe));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toMatch(/GET|50[03]/);
    expect(sim.control.stats().requests.byEndpoint['GET /limits']).toBe(3);
    expect(((await callTotals()).salesforce.byEndpoint['GET /limits'] ?? 0) - before).toBe(3);
  });

  it('abandons a call with no answer after the timeout, and a dropped connection, as retryable', async () => {
    sim.control.faults.update({ seed: 4, timeoutRate: 1, timeoutMs: 5000 });
    const slow = connector(redis, config(), { requestAttempts: 2, requestTimeoutMs: 150 });
    const timedOut = await rejection(slow.match(probe));
    expect(timedOut).toBeInstanceOf(RetryableError);
    expect(timedOut.message).toContain('no answer within the timeout');
    sim.control.faults.update({ seed: 4, dropRate: 1 });
    const dropped = await rejection(connector(redis, config(), { requestAttempts: 2 }).match(probe));
    expect(dropped).toBeInstanceOf(RetryableError);
    expect(dropped.message).toContain('connection failed');
  });
});
