/** The definition registry over the real Redis: uploads, shadow windows, go-live, what workers see. */
import { checksumOf, DefinitionRegistry, RegistryError } from '../../jobs/definition-registry';
import { looser, stricter, variantText } from '../fixtures/definitions';
import { NOW } from '../fixtures/worked-examples';
import { testRuntime, type TestRuntime } from '../fixtures/runtime';

describe('definition registry', () => {
  let t: TestRuntime;
  let registry: DefinitionRegistry;
  beforeEach(() => {
    t = testRuntime(NOW);
    registry = new DefinitionRegistry(t.rt.store, t.rt.mappings.definition, () => t.rt.now());
  });
  afterEach(() => t.close());

  const refusal = async (promise: Promise<unknown>): Promise<RegistryError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  };

  test('the file is live until the first go-live; it is listed like an upload', async () => {
    expect((await registry.live()).version).toBe('ls-default-2026.11');
    expect(await registry.shadows()).toEqual([]);
    const [file] = await registry.list();
    expect(file).toMatchObject({ version: 'ls-default-2026.11', live: true, shadow: null, uploadedBy: 'mappings file' });
    // Its stored copy is the same rules.
    const stored = await registry.get('ls-default-2026.11');
    expect(checksumOf(stored!.source)).toBe(checksumOf(t.rt.mappings.definition.source));
  });

  test('uploads are validated; a label names one set of rules forever', async () => {
    const first = await registry.upload(looser(), 'ana');
    expect(first).toMatchObject({ created: true, warnings: [], definition: { version: 'ls-loose-2026.12', uploadedBy: 'ana' } });
    expect((await registry.upload(looser(), 'ben')).created).toBe(false);
    const conflict = await refusal(registry.upload(variantText('ls-loose-2026.12', (d) => void (d.thresholds.fit = 99)), 'ben'));
    expect(conflict.status).toBe(409);
    const invalid = await refusal(registry.upload('version: bad\nlookbackDays: -1\n', 'ben', 'candidate.yaml'));
    expect(invalid.status).toBe(400);
    expect(invalid.message).toMatch(/^candidate\.yaml:2 at lookbackDays: /);
    expect((await registry.get('ls-loose-2026.12'))!.text).toBe(looser());
  });

  test('a shadow window: active inside it, never for the live version', async () => {
    await registry.upload(looser(), 'ana');
    await registry.upload(stricter(), 'ana');
    await registry.setShadow('ls-loose-2026.12', 'ana');
    await registry.setShadow('ls-strict-2026.12', 'ana', { from: '2026-12-01T00:00:00.000Z' });
    expect((await registry.shadows()).map((d) => d.version)).toEqual(['ls-loose-2026.12']);
    t.setNow('2026-12-02T00:00:00.000Z');
    expect((await registry.shadows()).map((d) => d.version).sort()).toEqual(['ls-loose-2026.12', 'ls-strict-2026.12']);
    expect((await refusal(registry.setShadow('ls-default-2026.11', 'ana'))).status).toBe(409);
    expect((await refusal(registry.setShadow('ls-strict-2026.12', 'ana', { from: '2026-12-05T00:00:00.000Z', until: '2026-12-04T00:00:00.000Z' }))).status).toBe(400);
    expect(await registry.clearShadow('ls-strict-2026.12', 'ben')).toBe(true);
    expect((await registry.shadows()).map((d) => d.version)).toEqual(['ls-loose-2026.12']);
  });

  test('go-live: one recorded action, seen by every worker at its next job; compiled once per version', async () => {
    const worker = new DefinitionRegistry(t.rt.store, t.rt.mappings.definition, () => t.rt.now());
    const before = await worker.live();
    expect(await worker.live()).toBe(before); // cached: same object while nothing changed
    await registry.upload(looser(), 'ana');
    await registry.setShadow('ls-loose-2026.12', 'ana');
    const event = await registry.goLive('ls-loose-2026.12', 'carla');
    expect(event).toMatchObject({ action: 'go-live', version: 'ls-loose-2026.12', previous: 'ls-default-2026.11', by: 'carla', at: NOW });
    const live = await worker.live();
    expect(live.version).toBe('ls-loose-2026.12');
    expect(await worker.live()).toBe(live);
    // A shadow that went live no longer runs as a shadow.
    expect(await worker.shadows()).toEqual([]);
    expect((await registry.events()).map((e) => [e.action, e.version, e.by])).toEqual([
      ['go-live', 'ls-loose-2026.12', 'carla'], ['shadow-on', 'ls-loose-2026.12', 'ana'], ['upload', 'ls-loose-2026.12', 'ana'],
    ]);
    const audit = await t.redis.xrange(t.rt.store.key('audit'), '-', '+');
    expect(audit.map(([, fields]) => fields.join(' '))).toEqual([expect.stringContaining('action definition go-live version ls-loose-2026.12 previous ls-default-2026.11 by carla')]);
    // Rolling back is the same action.
    await registry.goLive('ls-default-2026.11', 'carla');
    expect((await worker.live()).version).toBe('ls-default-2026.11');
    expect((await refusal(registry.goLive('ls-default-2026.11', 'carla'))).status).toBe(409);
  });

  test('going live with a tier HubSpot and Salesforce cannot store is refused unless forced', async () => {
    await registry.upload(variantText('ls-four-tiers', (d) => void d.tiers.splice(2, 0, { name: 'D', minTotal: 40, priority: 'Low' })), 'ana');
    const error = await refusal(registry.goLive('ls-four-tiers', 'ana'));
    expect(error.message).toMatch(/tiers D are not options of lsync_tier/);
    expect((await registry.goLive('ls-four-tiers', 'ana', { force: true })).version).toBe('ls-four-tiers');
    expect((await refusal(registry.goLive('nope', 'ana'))).status).toBe(404);
  });
});
