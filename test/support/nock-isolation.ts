/**
 * Unit-project setup, run in every unit test file. nock patches Node's shared `http` module,
 * which Jest does not reset between files in one worker: without `restore()` a later file's
 * real HTTP (the sandbox integration tests) still goes through nock's mock sockets, which
 * refuse long request lines and made jsforce retry until the test timed out.
 */
import nock from 'nock';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
