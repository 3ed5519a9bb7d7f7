/** The offline CLI commands (backtest, report, definition diff) against history in the real Redis. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { syncContacts } from '../../jobs/sync-contacts';
import { main } from '../../src/cli/main';
import { defaultText, stricter } from '../fixtures/definitions';
import { contactProperties, testRuntime, type TestRuntime } from '../fixtures/runtime';
import { examples, NOW } from '../fixtures/worked-examples';

const dir = mkdtempSync(path.join(tmpdir(), 'lsync-cli-reports-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'lifecycle-sync', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('offline report commands', () => {
  let t: TestRuntime;
  const saved = { ...process.env };
  beforeAll(async () => {
    t = testRuntime(NOW);
    for (const n of [1, 2, 3, 4, 5] as const) t.hubspot.put(examples[n].contact.id, contactProperties(examples[n].contact), examples[n].activities);
    await syncContacts(t.rt, { ids: ['101', '102', '103', '104', '105'], trigger: 'manual' }, 'w');
    Object.assign(process.env, { REDIS_PREFIX: t.prefix, SANDBOX: 'true' });
    for (const name of ['HUBSPOT_ACCESS_TOKEN', 'SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_USERNAME', 'MQL_DEFINITION_PATH']) delete process.env[name];
  });
  afterAll(async () => {
    process.env = saved;
    await t.close();
  });

  test('backtest --candidate prints the comparison, or JSON', async () => {
    const candidate = file('strict.yaml', stricter());
    const text = await cli('backtest', '--candidate', candidate, '--since', '2026-11-01');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Backtest: ls-default-2026.11 (current) vs ls-strict-2026.12 (candidate)');
    expect(text.out).toMatch(/5 contacts replayed in [\d.]+ s from Redis prefix lsync-test-\w+; no API calls/);
    const json = await cli('backtest', '--candidate', candidate, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ contacts: 5, current: { mqls: 4 }, candidate: { version: 'ls-strict-2026.12' } });
  });

  test('bad input: one line, exit 2', async () => {
    const missing = await cli('backtest', '--candidate', 'no-such-version');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/neither a definition file nor a stored version/);
    expect((await cli('backtest', '--candidate', file('s.yaml', stricter()), '--since', 'last week')).err).toMatch(/since: not an ISO-8601/);
    expect((await cli('report', 'funnel', '--by', 'colour')).err).toMatch(/--by: expected one of source, campaign/);
  });

  test('report funnel and report handoff', async () => {
    const funnel = await cli('report', 'funnel', '--by', 'tier', '--json');
    expect(JSON.parse(funnel.out)).toMatchObject({ by: 'tier', total: { mqls: 4 } });
    expect((await cli('report', 'funnel')).out).toMatch(/^Funnel by version/);
    const handoff = await cli('report', 'handoff');
    expect(handoff.out).toMatch(/^Handoff SLA/);
  });

  test('definition diff of two files works offline', async () => {
    const { code, out } = await cli('definition', 'diff', file('a.yaml', defaultText()), file('b.yaml', stricter()));
    expect(code).toBe(0);
    expect(out).toContain('~ MQL thresholds: fit 20 -> 30');
    expect(out).toContain('~ fit rule seniority: points 10 -> 15');
  });
});
