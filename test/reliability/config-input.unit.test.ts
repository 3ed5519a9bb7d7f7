/**
 * Bad configuration stops start-up with one message that names every problem and where it
 * is (variable; file, line and path), never a secret's value, never a stack trace: invalid
 * environment, invalid mappings, invalid definition.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { ConfigError, parseEnv } from '../../src/config/env';

const SHIPPED = path.resolve(__dirname, '..', '..', 'mappings');
const SECRET = 'sk-live-0123456789abcdef';
const dirs: string[] = [];

/** A copy of the shipped mappings with one file edited. */
function mappingsWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lsync-config-'));
  dirs.push(dir);
  for (const name of readdirSync(SHIPPED)) copyFileSync(path.join(SHIPPED, name), path.join(dir, name));
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

/** `lifecycle-sync <args>` in-process with exactly this environment; output captured. */
async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const saved = process.env;
  process.env = { PATH: saved.PATH, ...env };
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'lifecycle-sync', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.env = saved;
  }
}

const CREDENTIALS = { HUBSPOT_ACCESS_TOKEN: SECRET, SALESFORCE_INSTANCE_URL: 'https://example.my.salesforce.com', SALESFORCE_ACCESS_TOKEN: SECRET };
const STACK = /\n\s+at .+:\d+/;

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('invalid environment', () => {
  test('every problem is listed by variable; secrets are never echoed', () => {
    let error: unknown;
    try {
      parseEnv({
        ...CREDENTIALS, REDIS_URL: 'not a url', PORT: 'eighty', ADMIN_TOKEN: 'short', SALESFORCE_DAILY_SHARE: '2', HUBSPOT_TIMEOUT_MS: '5',
        LOG_LEVEL: 'verbose', SALESFORCE_USERNAME: 'svc@example.com', SALESFORCE_PASSWORD: SECRET, SALESFORCE_INTEGRATION_USER_ID: '00Qabc',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    // Rules across variables (a username needs a client id) are checked once each variable is valid: see below.
    for (const name of ['REDIS_URL', 'PORT', 'ADMIN_TOKEN', 'SALESFORCE_DAILY_SHARE', 'HUBSPOT_TIMEOUT_MS', 'LOG_LEVEL', 'SALESFORCE_INTEGRATION_USER_ID']) {
      expect(problems.some((p) => p.startsWith(`${name}: `))).toBe(true);
    }
    expect(problems.find((p) => p.startsWith('ADMIN_TOKEN'))).toBe('ADMIN_TOKEN: at least 16 characters (value hidden)');
    expect(problems.find((p) => p.startsWith('PORT'))).toMatch(/\(got "eighty"\)$/);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('short');
  });

  test('the worker refuses to start with the list on stderr, exit code 1, no stack trace', async () => {
    const res = await cli({ ...CREDENTIALS, REDIS_URL: 'redis//nope', BATCH_SIZE: '0' }, 'worker');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^lifecycle-sync: invalid configuration:\n {2}- REDIS_URL: .*\(got "redis\/\/nope"\)\n {2}- BATCH_SIZE: /);
    expect(res.err).not.toMatch(STACK);
    expect(res.err).not.toContain(SECRET);
  });

  test('half a Salesforce login is named with what to add', async () => {
    const res = await cli({ HUBSPOT_ACCESS_TOKEN: SECRET, SALESFORCE_USERNAME: 'svc@example.com' }, 'worker');
    expect(res.code).toBe(1);
    expect(res.err).toContain('SALESFORCE_CLIENT_ID: required with SALESFORCE_USERNAME');
    expect(res.err).toContain('SALESFORCE_PASSWORD: set SALESFORCE_PASSWORD (username-password flow) or SALESFORCE_PRIVATE_KEY (JWT bearer flow)');
  });
});

describe('invalid mappings and definition stop start-up before anything runs', () => {
  test.each([
    ['fields.yaml', (t: string) => t.replace('mql: MQL__c', 'mql: 42'), /fields\.yaml:\d+ at salesforce\.push\.mql: .*expected string/],
    ['fields.yaml', (t: string) => t.replace(/^(\s+)when: mql$/m, '$1when: sometimes'), /fields\.yaml:\d+ at salesforce\.createLeads\.when: /],
    ['reasons.yaml', (t: string) => t.replace('"Sales Qualified": sql', '"Sales Qualified": maybe'), /reasons\.yaml:\d+ at statuses\.Sales Qualified: /],
    ['routing.yaml', (t: string) => `${t}\nnonsense: [`, /routing\.yaml:\d+(:\d+)?: /],
    ['activities.yaml', () => '', /activities\.yaml: expected a mapping of keys to values at the top level \(got null\)/],
    ['mql-definition.yaml', (t: string) => t.replace('halfLifeDays: 45', 'halfLifeDays: -3'), /mql-definition\.yaml:\d+ at engagement\.halfLifeDays: Too small: expected number to be >0 \(got -3\)/],
  ])('%s: named with line and path, exit code 2, no stack trace', async (file, edit, message) => {
    const dir = mappingsWith(file, edit);
    const res = await cli({ ...CREDENTIALS, MAPPINGS_DIR: dir, REDIS_URL: 'redis://127.0.0.1:1' }, 'worker');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(message);
    expect(res.err.trim().split('\n')).toHaveLength(1);
    expect(res.err).not.toMatch(STACK);
  });

  test('a definition file that does not exist', async () => {
    const res = await cli({ ...CREDENTIALS, MQL_DEFINITION_PATH: path.join(tmpdir(), 'no-such-definition.yaml') }, 'worker');
    expect(res).toMatchObject({ code: 2, err: expect.stringMatching(/no-such-definition\.yaml: file not found/) });
  });
});
