/**
 * The admin console in headless Chromium against the sandbox and the real service (API,
 * workers, Redis): sign-in, the health numbers against the API, failures retried by reason,
 * a dry-run backfill followed to its end, a contact explained, the funnel, a candidate
 * uploaded and backtested; a wrong token shows an error and no data; no token in any URL;
 * usable at 1280x800 and at phone width, and with the keyboard.
 */
import type { Page } from 'playwright-core';
import { pollOutcomes } from '../../jobs/poll';
import { contactIdOf, FIXTURES } from '../../sandbox/dataset';
import { settle, startHarness, until, ADMIN_TOKEN, type Harness } from '../e2e/harness';
import { stricter } from '../fixtures/definitions';
import { DESKTOP, focusedElement, horizontalOverflow, launchBrowser, PHONE, screenshot, type ConsoleBrowser } from './browser';

const { buildConsole } = require('../../scripts/build-console') as { buildConsole: () => Promise<unknown> };

jest.setTimeout(60_000);

const CANDIDATE = 'ls-strict-2026.12';

describe('the admin console in a browser', () => {
  let h: Harness;
  let b: ConsoleBrowser;
  /** Every admin API answer the pages got, by URL, with its status. */
  const answers: Array<{ url: string; status: number }> = [];

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const text = async (page: Page, testid: string) => (await page.getByTestId(testid).first().textContent())?.trim() ?? '';

  /** Opens the console and signs in with the keyboard only: type the token, press Enter. */
  const signedIn = async (viewport = DESKTOP, hash = '#/health') => {
    const { context, page } = await b.open(viewport);
    page.on('response', (r) => r.url().includes('/admin/') && answers.push({ url: r.url(), status: r.status() }));
    await page.goto(`${h.baseUrl}/console${hash}`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    return { context, page };
  };

  beforeAll(async () => {
    await buildConsole();
    h = await startHarness({ contacts: 60, seed: 11 });
    // A synced portal with sales decisions: a full backfill, the sales team works the Leads, the outcomes come back.
    const id = await h.services.backfills.start({});
    await settle(h, id);
    h.sandbox.salesforce.control.workLeads();
    await pollOutcomes(h.services.runtime, h.services.queues, 25);
    await settle(h);
    // Two records refused for a retryable reason and one for another: the shape apply-plans records.
    const now = new Date().toISOString();
    await h.services.runtime.store.recordFailures([
      { system: 'salesforce', hubspotId: contactIdOf(FIXTURES.opsGuideAndWebinar), code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', retryable: true },
      { system: 'salesforce', hubspotId: contactIdOf(FIXTURES.hospitalPurchasing), code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', retryable: true },
      { system: 'hubspot', hubspotId: contactIdOf(FIXTURES.labTechReader), code: 'VALIDATION_ERROR', message: 'Property values were not valid', retryable: false },
    ], now);
    await h.services.usageFlusher!.flush();
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  test('a wrong token: a sign-in error and no data; signing out ends the session', async () => {
    const { context, page } = await b.open(DESKTOP);
    const statuses: number[] = [];
    page.on('response', (r) => r.url().includes('/admin/') && statuses.push(r.status()));
    await page.goto(`${h.baseUrl}/console`);
    await page.getByLabel('Admin token').fill('not-the-admin-token-0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('login-error'), /not accepted/);
    await screenshot(page, 'wrong-token');
    expect(await page.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    expect(await page.getByTestId('definition-version').count()).toBe(0);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('lsync_session');

    // The right token, then sign out: the cookie goes and the API refuses the page again.
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByTestId('definition-version').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'lsync_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect((await context.cookies()).map((c) => c.name)).not.toContain('lsync_session');
    expect((await page.request.get(`${h.baseUrl}/admin/status`)).status()).toBe(401);
  });

  test('health: the figures are the API\'s; failures retried by reason with the keyboard', async () => {
    const { page } = await signedIn();
    await page.getByTestId('budget-hubspot-used').waitFor();
    await page.getByTestId('failure-group-UNABLE_TO_LOCK_ROW').waitFor();
    const status = await api<{ definitionVersion: string; failures: number; queues: Record<string, Record<string, number>>; lastRuns: Record<string, { counts: Record<string, number> }> }>('/admin/status');
    const usage = await api<{ hubspot: { used: number; left: number }; salesforce: { used: number } }>('/admin/api-usage');
    await screenshot(page, 'health');

    expect(await text(page, 'definition-version')).toBe(status.definitionVersion);
    expect(await text(page, 'failures-count')).toBe(String(status.failures));
    expect(status.failures).toBe(3);
    for (const [queue, counts] of Object.entries(status.queues)) {
      for (const state of ['waiting', 'prioritized', 'active', 'delayed', 'failed']) expect([queue, state, await text(page, `queue-${queue}-${state}`)]).toEqual([queue, state, String(counts[state] ?? 0)]);
    }
    const backfillRun = status.lastRuns['backfill/sync']!;
    const shown = await text(page, 'run-backfill-sync');
    for (const n of Object.values(backfillRun.counts)) expect(shown).toContain(n.toLocaleString('en'));
    expect(usage.hubspot.used).toBeGreaterThan(0);
    expect(await text(page, 'budget-hubspot-used')).toBe(usage.hubspot.used.toLocaleString('en'));
    expect(await text(page, 'budget-hubspot-left')).toBe(usage.hubspot.left.toLocaleString('en'));
    expect(await text(page, 'budget-salesforce-used')).toBe(usage.salesforce.used.toLocaleString('en'));
    expect(await page.locator('#budget canvas').count()).toBe(1);

    // Keyboard: focus the group's "retry all" button and press Enter; the two contacts sync cleanly and leave the list.
    const group = page.getByTestId('failure-group-UNABLE_TO_LOCK_ROW');
    await group.getByRole('button', { name: 'Retry all for this reason' }).focus();
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').filter({ hasText: 'queued for a retry' }), /2 contacts queued for a retry \(UNABLE_TO_LOCK_ROW\)/);
    await group.waitFor({ state: 'detached', timeout: 20_000 });
    await until('failure count on the page', async () => (await text(page, 'failures-count')) === '1', 10_000);
    expect((await api<{ records: unknown[] }>('/admin/failures')).records).toHaveLength(1);
  });

  test('backfills: a dry run started from the form, followed live to its end, with its report', async () => {
    const { page } = await signedIn();
    // Keyboard: Tab from the page heading to the "Backfills" link in the top bar, Enter.
    await page.getByRole('link', { name: 'Backfills' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Backfills', level: 1 }).waitFor();
    expect(await page.getByLabel('Dry run: plan the writes, make none').isChecked()).toBe(true);
    await page.getByLabel('Service line').selectOption('cdmo_services');
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.waitForURL(/#\/backfills\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await expectText(page.getByTestId('backfill-status'), /^completed$/, 40_000);
    await page.getByTestId('planned').or(page.getByText('Nothing to write')).first().waitFor();
    await screenshot(page, 'backfill');
    const backfill = await api<{ status: string; total: number; done: number; plannedWrites: number; params: { dryRun: boolean; serviceLine: string } }>(`/admin/backfills/${id}`);
    expect(backfill).toMatchObject({ status: 'completed', params: { dryRun: true, serviceLine: 'cdmo_services' } });
    expect(await text(page, 'backfill-total')).toBe(String(backfill.total));
    expect(await text(page, 'backfill-done')).toBe(String(backfill.done));
    expect(await text(page, 'backfill-planned')).toBe(String(backfill.plannedWrites));
    expect(await page.getByTestId('backfills').getByText('dry run').count()).toBeGreaterThan(0);

    // With the workers paused a new one stays queued: cancel it from its page.
    const workers = h.services.workers!.workers;
    await Promise.all(workers.map((w) => w.pause()));
    try {
      await page.getByRole('link', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Start dry run' }).click();
      await page.waitForURL((url) => /#\/backfills\/[0-9a-f-]{36}$/.test(url.hash) && !url.hash.endsWith(id));
      await expectText(page.getByTestId('backfill-status'), /^queued$/);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expectText(page.getByTestId('backfill-status'), /^cancelled$/);
      const cancelled = page.url().split('/').pop()!;
      expect((await api<{ status: string }>(`/admin/backfills/${cancelled}`)).status).toBe('cancelled');
      expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    } finally {
      workers.forEach((w) => w.resume());
    }
  });

  test('explain: found by e-mail, with scores, reasons, history, the Salesforce record and the writes a sync would make', async () => {
    const hubspotId = contactIdOf(FIXTURES.directorTechTransfer);
    const [record] = await h.services.hubspot.readContacts([hubspotId]);
    const { page } = await signedIn(DESKTOP, '#/explain');
    await page.getByLabel('E-mail address or HubSpot contact id').fill(record!.properties.email!.toUpperCase());
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/explain/${hubspotId}$`));
    await expectText(page.getByTestId('explain-status'), /^mql$/);
    const explanation = await api<{ evaluation: { score: { total: number }; reasons: unknown[] }; salesforce: { record: { sobject: string; id: string } }; wouldWrite: { hubspot: Record<string, string>; salesforce: { update?: string[]; createLead?: boolean; task?: string } } }>(`/admin/contacts/${hubspotId}/explain`);
    expect(await text(page, 'explain-total')).toBe(explanation.evaluation.score.total.toLocaleString('en'));
    expect(await text(page, 'explain-salesforce')).toContain(explanation.salesforce.record.id);
    expect(await page.getByTestId('reasons').locator('tbody tr').count()).toBe(explanation.evaluation.reasons.length);
    expect(await page.getByTestId('history').locator('tbody tr').count()).toBeGreaterThan(0);
    const writes = await text(page, 'would-write');
    const { hubspot, salesforce } = explanation.wouldWrite;
    const expected = [...Object.keys(hubspot), ...(salesforce.update ?? []), ...(salesforce.createLead ? ['create a Lead'] : []), ...(salesforce.task ? [salesforce.task] : [])];
    for (const item of expected) expect(writes).toContain(item);
    if (expected.length === 0) expect(writes).toMatch(/Nothing: both systems already show/);
    await screenshot(page, 'explain');

    await page.getByLabel('E-mail address or HubSpot contact id').fill('nobody@nowhere.example');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('alert').filter({ hasText: 'HubSpot has no contact' }), /no contact with that e-mail/);
  });

  test('funnel: MQLs per week, conversion and handoff as charts, the same numbers as the API, by version', async () => {
    const { page } = await signedIn(DESKTOP, '#/funnel');
    await page.getByTestId('funnel-mqls').waitFor();
    const since = await page.getByLabel('MQLs from').inputValue();
    const report = await api<{ funnel: { total: { mqls: number; sal: number; sql: number } }; handoff: { total: { breached: number } } }>(`/admin/reports/dashboard?since=${since}`);
    expect(report.funnel.total.mqls).toBeGreaterThan(0);
    expect(await text(page, 'funnel-mqls')).toBe(String(report.funnel.total.mqls));
    expect(await text(page, 'funnel-sal')).toBe(String(report.funnel.total.sal));
    expect(await text(page, 'funnel-sql')).toBe(String(report.funnel.total.sql));
    expect(await text(page, 'funnel-breaches')).toBe(String(report.handoff.total.breached));
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Definition version').selectOption('ls-default-2026.11');
    await Promise.all([page.waitForResponse((r) => r.url().includes('version=ls-default-2026.11')), page.getByRole('button', { name: 'Show' }).click()]);
    await expectText(page.getByTestId('funnel-mqls'), new RegExp(`^${report.funnel.total.mqls}$`));
    await screenshot(page, 'funnel');
  });

  test('definitions: upload a candidate, read the rule-by-rule diff, run a backtest and see the flipped contacts', async () => {
    const { page } = await signedIn(DESKTOP, '#/definitions');
    await page.getByLabel('Your name (recorded with the upload)').fill('console test');
    await page.getByLabel('Definition (YAML, with a new version label)').fill(stricter(CANDIDATE));
    await page.getByRole('button', { name: 'Upload candidate' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Uploaded' }), new RegExp(`Uploaded ${CANDIDATE.replace(/\./g, '\\.')}`));
    await page.getByTestId('diff').getByText('fit rule seniority').first().waitFor();
    expect(await page.getByTestId('diff').getByText('MQL thresholds').count()).toBe(1);
    const [started] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/backtests') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Run backtest' }).click(),
    ]);
    const { id } = (await started.json()) as { id: string };
    await expectText(page.getByTestId('backtest-status'), /^done$/, 30_000);
    const run = await api<{ result: { contacts: number; flips: { gained: number; lost: number; listed: unknown[] } } }>(`/admin/backtests/${id}`);
    expect(await text(page, 'backtest-contacts')).toBe(String(run.result.contacts));
    expect(await text(page, 'backtest-gained')).toBe(String(run.result.flips.gained));
    expect(await text(page, 'backtest-lost')).toBe(String(run.result.flips.lost));
    // A stricter fit threshold drops some of the sandbox's MQLs: the report lists them.
    expect(run.result.flips.lost).toBeGreaterThan(0);
    expect(await page.getByTestId('flips').locator('tbody tr').count()).toBe(run.result.flips.listed.length);
    await screenshot(page, 'backtest');
  });

  test('keyboard: Tab walks the controls in order with a visible focus, Enter follows a link and submits a form', async () => {
    const { page } = await signedIn(DESKTOP, '#/health');
    await page.getByTestId('definition-version').waitFor();
    const focused = () => focusedElement(page);
    const walk: Array<{ name: string; outline: boolean }> = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      walk.push(await focused());
    }
    expect(walk.map((f) => f.name)).toEqual(['Skip to content', 'Health', 'Backfills', 'Funnel', 'Explain a contact', 'Definitions', 'Sign out', 'Refresh']);
    expect(walk.filter((f) => !f.outline)).toEqual([]);

    // Back to "Funnel" and Enter: the page changes and its heading takes the focus.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
    expect((await focused()).name).toBe('Funnel');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/funnel$/);
    await until('focus on the heading', async () => (await focused()).id === 'page-title', 5_000);
    await page.getByTestId('funnel-mqls').waitFor();
    // Tab to the version filter, pick with the arrow keys, Tab to "Show" and submit with Enter.
    // Chrome tabs through a date input's day, month and year: each field counts once.
    const names: string[] = [];
    for (let i = 0; i < 12 && names.at(-1) !== 'Show'; i++) {
      await page.keyboard.press('Tab');
      const { name } = await focused();
      if (names.at(-1) !== name) names.push(name);
    }
    expect(names).toEqual(['MQLs from', 'until', 'Definition version', 'Show']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().includes('/admin/reports/dashboard?') && r.url().includes('version=')), page.keyboard.press('Enter')]);
    expect(answer.status()).toBe(200);
    await screenshot(page, 'keyboard');
  });

  test('every page fits 1280x800 and a 390 px phone without sideways scrolling', async () => {
    const explained = contactIdOf(FIXTURES.directorTechTransfer);
    for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const { page } = await signedIn(viewport);
      for (const hash of ['#/health', '#/backfills', '#/funnel', `#/explain/${explained}`, '#/definitions']) {
        await page.goto(`${h.baseUrl}/console${hash}`);
        await page.locator('h1#page-title').waitFor();
        await page.waitForLoadState('networkidle');
        expect([name, hash, await horizontalOverflow(page)]).toEqual([name, hash, 0]);
        if (name === 'phone') await screenshot(page, `phone-${hash.split('/')[1]}`);
      }
    }
  });

  test('no page request carried the token or an e-mail address in its URL, none left the service, and no page error or CSP violation', () => {
    expect(b.requests.length).toBeGreaterThan(50);
    const origin = new URL(h.baseUrl).origin;
    expect(b.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(b.requests.filter((url) => url.includes(ADMIN_TOKEN) || /token=/i.test(url))).toEqual([]);
    // The contact search sends the address in a POST body: no e-mail address in any URL either.
    expect(b.requests.filter((url) => /@|%40/.test(url))).toEqual([]);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});

/** Waits until the locator's text matches. */
async function expectText(locator: ReturnType<Page['getByTestId']>, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if ((await locator.count()) > 0) {
      last = ((await locator.first().textContent()) ?? '').trim();
      if (pattern.test(last)) return;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} (last text: "${last}")`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
