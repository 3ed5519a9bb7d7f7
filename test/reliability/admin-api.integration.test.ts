/**
 * The admin API and Bull Board refuse callers without the token and bad input with a 400 that
 * names the problem; every answer carries the security headers and none a stack trace.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../console/browser';
import { startTestService, type TestService } from './harness';

jest.setTimeout(60_000);

let t: TestService;
beforeAll(async () => {
  // Short HubSpot timeouts: the failure test below makes every HubSpot call fail.
  t = await startTestService({ role: 'api', env: { HUBSPOT_TIMEOUT_MS: '500' } });
});
afterAll(() => t.close());

async function call(method: string, path: string, options: { token?: string | null; body?: string; type?: string } = {}) {
  const token = options.token === undefined ? t.secrets.adminToken : options.token;
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...(options.body !== undefined ? { 'Content-Type': options.type ?? 'application/json' } : {}) },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML (Bull Board) or text
  }
  return { status: response.status, body: body as Record<string, unknown>, text, headers: response.headers };
}

describe('authentication', () => {
  test.each(['/admin/status', '/admin/failures', '/admin/backfills', '/admin/queues', '/admin/queues/api/queues', '/metrics'])('%s without a token: 401 with WWW-Authenticate', async (path) => {
    const res = await call('GET', path, { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toEqual({ error: 'missing bearer token' });
  });

  test.each(['/admin/status', '/admin/queues', '/metrics'])('%s with a wrong token (or one differing in one character): 401', async (path) => {
    for (const token of ['wrong', `${t.secrets.adminToken.slice(0, -1)}x`, `x${t.secrets.adminToken}`]) {
      const res = await call('GET', path, { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });

  test('a POST without a token is refused before its body is read', async () => {
    const res = await call('POST', '/admin/backfills', { token: null, body: '{}' });
    expect(res.status).toBe(401);
    expect(await t.services.backfills.list()).toEqual([]);
  });

  test('the token opens the admin API and Bull Board', async () => {
    expect((await call('GET', '/admin/status')).status).toBe(200);
    const board = await call('GET', '/admin/queues');
    expect(board.status).toBe(200);
    expect(board.text).toContain('<div id="root">');
  });
});

describe('malformed ids and parameters: 400 naming the problem', () => {
  test.each([
    ['GET', '/admin/backfills/not-a-uuid', undefined, 'path id: a backfill id (uuid)'],
    ['DELETE', '/admin/backfills/123', undefined, 'path id: a backfill id (uuid)'],
    ['GET', '/admin/backfills/7c9e6679-7425-40de-944b-e07fc1f90ae7/planned?limit=5000', undefined, /query limit: Too big/],
    ['GET', '/admin/contacts/abc/explain', undefined, 'path hubspotId: a HubSpot contact id (digits)'],
    ['GET', '/admin/contacts/123456789012345678901/explain', undefined, 'path hubspotId: a HubSpot contact id (digits)'],
    ['GET', '/admin/runs?limit=abc', undefined, /query limit: expected number/],
    ['GET', '/admin/runs?limit=0', undefined, /query limit: Too small/],
    ['POST', '/admin/failures/bogus/retry', undefined, /path id: hubspot:<id>, salesforce:<id> or job:<queue>:<job id>/],
    ['POST', '/admin/failures/job:nosuchqueue:1/retry', undefined, /path id: /],
    ['POST', '/admin/backfills', '{"ids": ["12", "abc"]}', 'body ids.1: a HubSpot contact id (digits)'],
    ['POST', '/admin/backfills', '{"since": "yesterday"}', 'body since: an ISO-8601 date or date-time'],
    ['POST', '/admin/backfills', '{"since": "2026-11-02", "until": "2026-11-01"}', /since must be before until/],
    ['POST', '/admin/backfills', '{"ids": ["1"], "since": "2026-11-01"}', /either ids or a date range/],
    ['POST', '/admin/backfills', '{"dryRun": "yes"}', /body dryRun: expected boolean/],
    ['POST', '/admin/backfills', '{"everything": true}', /Unrecognized key/],
    ['POST', '/admin/backfills', '{"serviceLine": "cell_therapy"}', /unknown service line "cell_therapy"/],
    ['POST', '/admin/failures/retry', '{"code": 42}', /body code: expected string/],
  ])('%s %s %s', async (method, path, body, message) => {
    const res = await call(method, path, body === undefined ? {} : { body });
    expect(res.status).toBe(400);
    if (typeof message === 'string') expect(res.body.error).toBe(message);
    else expect(String(res.body.error)).toMatch(message);
  });

  test('malformed JSON: 400; a body over 2 MB: 413; nothing was started', async () => {
    expect(await call('POST', '/admin/backfills', { body: '{"ids": [' })).toMatchObject({ status: 400, body: { error: 'malformed JSON body' } });
    const big = JSON.stringify({ ids: Array.from({ length: 260_000 }, (_, i) => String(1e9 + i)) });
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(await call('POST', '/admin/backfills', { body: big })).toMatchObject({ status: 413, body: { error: 'body too large' } });
    expect(await t.services.backfills.list()).toEqual([]);
  });

  test('unknown ids: 404, not 500', async () => {
    expect(await call('GET', '/admin/backfills/7c9e6679-7425-40de-944b-e07fc1f90ae7')).toMatchObject({ status: 404, body: { error: expect.stringMatching(/^no backfill /) } });
    expect(await call('POST', '/admin/failures/salesforce:123/retry')).toMatchObject({ status: 404, body: { error: 'no failure salesforce:123' } });
    expect(await call('GET', '/admin/nothing-here')).toMatchObject({ status: 404, body: { error: 'not found' } });
  });
});

describe('headers and errors', () => {
  test('helmet headers on the API, Bull Board and the probes; no x-powered-by', async () => {
    for (const path of ['/healthz', '/admin/status', '/admin/queues', '/admin/backfills/x']) {
      const { headers } = await call('GET', path);
      expect(headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  test('a failure inside the service is a 500 "internal error", without a stack trace or a path', async () => {
    t.sandbox.hubspot.faults.set({ seed: 1, serverErrorRate: 1 });
    try {
      const res = await call('GET', '/admin/contacts/10001/explain');
      expect(res).toMatchObject({ status: 500, body: { error: 'internal error' } });
      expect(res.text).not.toMatch(/\bat .+\(|\.ts:\d+|node_modules|HubSpot|sandbox/);
    } finally {
      t.sandbox.hubspot.faults.set({ seed: 1 });
    }
  });

  test('Bull Board renders under the Content-Security-Policy: its scripts are same-origin files', async () => {
    const res = await call('GET', '/admin/queues');
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(1);
    for (const [, attributes, inline] of scripts) {
      // Executable scripts come from this origin (script-src 'self'); the only inline one is a JSON data block, which CSP does not run.
      if (/type="application\/json"/.test(attributes!)) continue;
      expect(attributes).toMatch(/src="static\//);
      expect(inline!.trim()).toBe('');
    }
  });

  // Debian's Chromium, as the console tests use it (`.ci/run` installs it): the dashboard must draw its queues with no CSP violation.
  test('Bull Board draws its queues in a browser with no Content-Security-Policy violation', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ extraHTTPHeaders: t.auth });
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${t.baseUrl}/admin/queues`);
      await page.getByText('outcomes').first().waitFor({ timeout: 15_000 });
      expect(await page.innerText('body')).toMatch(/sync[\s\S]*outcomes|outcomes[\s\S]*sync/);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('without ADMIN_TOKEN', () => {
  test('the admin API, Bull Board and metrics are closed (503 saying what to set); the probes still answer', async () => {
    const closed = await startTestService({ role: 'api', env: { ADMIN_TOKEN: '' } });
    try {
      for (const path of ['/admin/status', '/admin/queues', '/metrics']) {
        const response = await fetch(`${closed.baseUrl}${path}`, { headers: { Authorization: 'Bearer anything-at-all-0123456789' } });
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({ error: 'the admin API is disabled: set ADMIN_TOKEN (16+ characters)' });
      }
      expect((await fetch(`${closed.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await closed.close();
    }
  });
});
