import type { BackfillRun } from '../../bench/pipeline/backfill';
import { pipelineMinimum } from '../../bench/pipeline/minimum';
import { scaleOutFigures, utilisation } from '../../bench/pipeline/report';
import { scenarioList } from '../../bench/pipeline/scenarios';
import { loadMappings } from '../../src/mappings/load';

const run = (over: Partial<BackfillRun>): BackfillRun => ({
  contacts: 1000, workers: 1, wallSeconds: 10, contactsPerSecond: 100, done: 1000, failed: 0, errors: {}, counts: {},
  calls: { hubspot: {}, salesforce: {}, hubspotTotal: 0, salesforceTotal: 0, hubspotRateLimited: 0 },
  seconds: [], rssMb: { peak: 0, at25: 0, at100: 0 }, cpuSeconds: {}, chunks: { count: 0, medianGapSeconds: 0, medianSeconds: 0, meanInFlight: 0 },
  ...over,
});

describe('pipeline benchmark figures', () => {
  test('utilisation counts accepted requests over the middle 80 % of the run against the allowed rate', () => {
    // A slow start and a tail are left out; 429 answers are not achieved requests.
    const seconds = [2, 19, 19, 19, 19, 21, 19, 19, 19, 3].map((total, i) => ({ at: i, total, rateLimited: total > 19 ? total - 19 : 0 }));
    expect(utilisation(run({ seconds }), 190)).toEqual({ steadyRequestsPerSecond: 19, rateLimitUtilisation: 1 });
    const half = seconds.map((s) => ({ ...s, total: Math.round(s.total / 2), rateLimited: 0 }));
    expect(utilisation(run({ seconds: half }), 190).rateLimitUtilisation).toBeLessThan(0.6);
  });

  test('the scale-out ratio is two workers over one', () => {
    expect(scaleOutFigures(run({ contactsPerSecond: 400 }), run({ workers: 2, contactsPerSecond: 640 })).ratio).toBe(1.6);
  });

  test('the minimum of a small data set follows the documented page and batch sizes', () => {
    const m = pipelineMinimum(250, 42, '2026-11-20T00:00:00.000Z', loadMappings(), { hubspotContacts: 250, salesforceUpdates: 201, leadsCreated: 10, tasksCreated: 0 });
    expect(m.hubspot['list contacts (100/page)']).toBe(3);
    expect(m.hubspot['write-back (100/call)']).toBe(3);
    expect(m.salesforce['updates (200/collection)']).toBe(2);
    expect(m.salesforce['tasks (200/upsert collection)']).toBe(0);
    // 250 ids and e-mails fit in one lookup query per object.
    expect(m.salesforce['match Contact (IN queries within 16,384-character URIs)']).toBe(1);
    expect(m.hubspotTotal).toBe(Object.values(m.hubspot).reduce((a, b) => a + b, 0));
  });

  test('--only takes known scenarios and refuses an unknown one by name, with the list to choose from', () => {
    expect(scenarioList('webhook, evaluate')).toBe('webhook, evaluate');
    expect(() => scenarioList('webhook,webhooks')).toThrow('unknown scenario "webhooks"; choose from backfill, webhook, receiver, scale-out, evaluate');
  });
});
