/**
 * A record Salesforce refuses for good is kept with the API's reason, shown by
 * GET /admin/failures and `lifecycle-sync failures`, counted in /metrics, and once the data is
 * fixed, one call re-drives it. The whole service runs (API and workers) against the sandbox.
 */
import { main } from '../../src/cli/main';
import { rngFor } from '../../sandbox/common';
import { startTestService, until, type TestService } from './harness';

jest.setTimeout(90_000);

let t: TestService;
let broken: string;
let neighbour: string;

const FIT = { jobtitle: 'Director of Quality', ls_organization_type: 'pharma', ls_job_function: 'qa_qc', numemployees: '100-500', company: 'Orbis Pharma', ls_service_interest: 'cdmo_services' };

function mql(email: string): string {
  const id = t.sandbox.hubspot.control.createContact({ email, firstname: 'Ada', lastname: 'Quality', ...FIT });
  t.sandbox.hubspot.control.addActivity(id, { type: 'demo_request' }, rngFor(id, 'demo'));
  t.sandbox.hubspot.control.addActivity(id, { type: 'content_download' }, rngFor(id, 'download'));
  return id;
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers: { ...t.auth, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T, text };
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'lifecycle-sync', ...args, '--url', t.baseUrl, '--token', t.secrets.adminToken]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const leadOf = (id: string) => [...t.sandbox.salesforce.store.table('Lead').values()].find((r) => r.HubSpot_Contact_Id__c === id);

beforeAll(async () => {
  t = await startTestService({ role: 'both' });
  // Not an address Salesforce accepts (no top-level domain); HubSpot kept it anyway.
  broken = mql('ada.quality@orbis-pharma');
  neighbour = mql('ada.neighbour@orbis-pharma.example');
});
afterAll(() => t.close());

interface FailuresBody {
  records: Array<{ id: string; system: string; hubspotId: string; code: string; message: string; retryable: boolean; attempts: number }>;
}

test('kept with the reason, listed by the API and the CLI, counted, re-driven by one call once fixed', async () => {
  const started = await admin<{ id: string }>('POST', '/admin/backfills', { ids: [broken, neighbour] });
  expect(started.status).toBe(202);
  await until('the backfill', async () => (await t.services.backfills.get(started.body.id))?.status === 'completed', 60_000);
  expect(leadOf(neighbour)).toMatchObject({ MQL__c: true });
  expect(leadOf(broken)).toBeUndefined();

  // The API: the refused record with Salesforce's code and message (the offending value hidden).
  const failures = await admin<FailuresBody>('GET', '/admin/failures');
  expect(failures.body.records).toEqual([
    expect.objectContaining({ id: `salesforce:${broken}`, system: 'salesforce', hubspotId: broken, code: 'INVALID_EMAIL_ADDRESS', retryable: false, message: 'Email: invalid email address: [value hidden] (fields: Email)' }),
  ]);
  expect(failures.text).not.toContain('ada.quality@');
  expect(await admin('GET', '/admin/backfills/' + started.body.id)).toMatchObject({ body: { failed: 1, errors: { 'record rejected by an API (see /admin/failures)': 1 } } });

  // The CLI, a client of the same API.
  const listed = await cli('failures');
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.out).records[0]).toMatchObject({ id: `salesforce:${broken}`, code: 'INVALID_EMAIL_ADDRESS' });

  // Metrics: refusals counted by code, and the records waiting for a re-drive.
  const metrics = await admin<string>('GET', '/metrics');
  expect(metrics.text).toMatch(/lsync_record_failures_total\{system="salesforce",code="INVALID_EMAIL_ADDRESS"\} 1/);
  expect(metrics.text).toMatch(/lsync_failed_records\{system="salesforce"\} 1/);

  // Fixed in HubSpot; one call re-drives it.
  t.sandbox.hubspot.control.updateContact(broken, { email: 'ada.quality@orbis-pharma.example' });
  const retried = await cli('failures', '--retry', `salesforce:${broken}`);
  expect(retried).toMatchObject({ code: 0 });
  expect(JSON.parse(retried.out)).toEqual({ retried: `salesforce:${broken}` });
  await until('the re-driven record in Salesforce', async () => leadOf(broken), 30_000);
  await until('the failure cleared', async () => (await admin<FailuresBody>('GET', '/admin/failures')).body.records.length === 0, 10_000);
  expect(leadOf(broken)).toMatchObject({ Email: 'ada.quality@orbis-pharma.example', MQL__c: true });
  expect((await admin<string>('GET', '/metrics')).text).toMatch(/lsync_failed_records\{system="salesforce"\} 0/);
});

test('re-driving something that is not a failure is a clear 404 / 400, at the API and the CLI', async () => {
  expect(await cli('failures', '--retry', 'salesforce:123')).toMatchObject({ code: 2, err: expect.stringContaining('404 no failure salesforce:123') });
  expect(await cli('failures', '--retry', 'nonsense')).toMatchObject({ code: 2, err: expect.stringContaining('400') });
});
