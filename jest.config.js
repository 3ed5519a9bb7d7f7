// Two kinds of tests (see README "Tests"): pure/nock unit tests, and integration tests
// that use the real Redis and the sandbox simulators over HTTP.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.unit.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/nock-isolation.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.integration.test.ts'],
      slowTestThreshold: 30,
    },
  ],
};
