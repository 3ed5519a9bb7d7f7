import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { examples, NOW } from '../fixtures/worked-examples';

const dir = mkdtempSync(path.join(tmpdir(), 'lsync-cli-'));
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
    const code = await main(['node', 'lifecycle-sync', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('lifecycle-sync CLI', () => {
  test('evaluate one case prints the result as JSON', async () => {
    const input = file('one.json', JSON.stringify({ contact: examples[2].contact, activities: examples[2].activities, now: NOW }));
    const { code, out } = await cli('evaluate', '--input', input);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ mql: true, tier: 'A', definitionVersion: 'ls-default-2026.11', evaluatedAt: NOW });
  });

  test('evaluate an array, with --now overriding', async () => {
    const cases = [1, 3, 4].map((n) => ({ contact: examples[n as 1].contact, activities: examples[n as 1].activities }));
    const { code, out } = await cli('evaluate', '-i', file('many.json', JSON.stringify(cases)), '--now', NOW);
    expect(code).toBe(0);
    expect(JSON.parse(out).map((r: { status: string }) => r.status)).toEqual(['mql', 'mql', 'not_mql']);
  });

  test('a contact with only an id and unknown fields missing is fine', async () => {
    const { code, out } = await cli('evaluate', '-i', file('min.json', '{"contact":{"id":7}}'), '--now', NOW);
    expect(code).toBe(0);
    expect(JSON.parse(out).status).toBe('not_mql');
  });

  test.each([
    ['malformed JSON', '{"contact":', /not valid JSON/],
    ['unknown activity type', '{"contact":{"id":"1"},"activities":[{"type":"webinar","at":"2026-11-01T00:00:00Z"}]}', /at activities\[0\]\.type: .*expected one of/],
    ['bad date', '{"contact":{"id":"1"},"activities":[{"type":"call","at":"last week"}]}', /at activities\[0\]\.at: expected an ISO-8601 date-time/],
    ['missing contact', '{"activities":[]}', /at contact: expected object/],
  ])('bad input (%s): one line, exit 2, no stack', async (_name, content, message) => {
    const { code, err } = await cli('evaluate', '-i', file('bad.json', content), '--now', NOW);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('bad --now and missing file', async () => {
    expect((await cli('evaluate', '-i', file('x.json', '{"contact":{"id":"1"}}'), '--now', 'soon')).err).toMatch(/--now: expected an ISO-8601/);
    const missing = await cli('evaluate', '-i', path.join(dir, 'absent.json'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/absent\.json: cannot read \(ENOENT\)/);
  });

  test('definition check prints a summary; a bad file exits 2 naming file and path', async () => {
    const ok = await cli('definition', 'check');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/OK\nversion ls-default-2026\.11/);
    const bad = await cli('definition', 'check', file('bad.yaml', 'version: x\nlookbackDays: -1\n'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.yaml:2 at lookbackDays: .*>0 \(got -1\)/);
  });

  test('unknown command exits 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
