/** The image runs as an unprivileged user, with only production dependencies. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const lines = readFileSync(path.resolve(__dirname, '..', '..', 'Dockerfile'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const runtime = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));

test('the runtime stage switches to a non-root user before its entrypoint and never back', () => {
  const users = runtime.filter((l) => l.startsWith('USER '));
  expect(users.length).toBeGreaterThan(0);
  for (const user of users) expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/);
  expect(runtime.findIndex((l) => l.startsWith('USER '))).toBeLessThan(runtime.findIndex((l) => l.startsWith('ENTRYPOINT')));
});

test('the runtime stage installs production dependencies only and sets NODE_ENV=production', () => {
  expect(runtime.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
  expect(runtime).toContain('ENV NODE_ENV=production');
});
