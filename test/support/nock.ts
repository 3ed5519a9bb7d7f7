/**
 * nock for a connector test file: no network but the loopback interface (local test servers
 * and the connectors' Redis live there), and interceptors cleared after each test so one
 * test's leftovers never answer the next. Restoring nock after the file is the unit
 * project's setup (nock-isolation.ts).
 */
import nock from 'nock';

export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.cleanAll();
  });
}
