import { dateOf, formatDateTime, parseDate, parseDateTime } from '../../sandbox/salesforce/datetime';
import { IdFactory, isSalesforceId, normaliseId, to18 } from '../../sandbox/salesforce/ids';
import { ModstampIndex } from '../../sandbox/salesforce/modstamp-index';
import { LEAD, TASK } from '../../sandbox/salesforce/objects';
import { SalesforceStore } from '../../sandbox/salesforce/store';

const USER = to18('0058a0000000001');

describe('Salesforce ids', () => {
  it('computes the 18-character checksum like Salesforce', () => {
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(to18('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(to18('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
  });

  it('validates and normalises 15/18-character ids', () => {
    expect(isSalesforceId('001A0000006Vm9r')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rXXX')).toBe(false);
    expect(isSalesforceId('not-an-id')).toBe(false);
    expect(normaliseId('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
    expect(normaliseId('nope')).toBeUndefined();
  });

  it('issues fresh ids per prefix and skips ids in use', () => {
    const ids = new IdFactory();
    const first = ids.next('00Q');
    expect(first).toMatch(/^00Q8a0{9}1[A-Z0-5]{3}$/);
    expect(ids.next('00Q', (id) => id.startsWith('00Q8a0000000002'))).toBe(to18('00Q8a0000000003'));
    expect(ids.next('003').startsWith('003')).toBe(true);
  });
});

describe('date-times', () => {
  it('formats like Salesforce and parses the accepted input forms', () => {
    const ms = Date.UTC(2026, 10, 23, 10, 0, 0, 7);
    expect(formatDateTime(ms)).toBe('2026-11-23T10:00:00.007+0000');
    expect(parseDateTime('2026-11-23T10:00:00.007+0000')).toBe(ms);
    expect(parseDateTime('2026-11-23T10:00:00.007Z')).toBe(ms);
    expect(parseDateTime('2026-11-23T11:00:00.007+01:00')).toBe(ms);
    expect(parseDateTime('2026-11-23T10:00:00')).toBeUndefined();
    expect(parseDateTime('2026-02-30T10:00:00Z')).toBeUndefined();
    expect(parseDate('2026-11-23')).toBe('2026-11-23');
    expect(parseDate('2026-13-01')).toBeUndefined();
    expect(dateOf(ms)).toBe('2026-11-23');
  });
});

describe('modstamp index', () => {
  it('keeps (stamp, id) order across moves and compacts stale entries', () => {
    const stamps = new Map<string, number>();
    const index = new ModstampIndex((id) => stamps.get(id));
    const put = (id: string, stamp: number) => {
      const previous = stamps.get(id);
      stamps.set(id, stamp);
      index.move(id, stamp, previous);
    };
    put('b', 10);
    put('a', 10);
    put('c', 5);
    expect([...index.from()]).toEqual(['c', 'a', 'b']);
    put('c', 20);
    expect([...index.from()]).toEqual(['a', 'b', 'c']);
    expect([...index.from(11)]).toEqual(['c']);
    for (let i = 0; i < 3000; i++) put('a', 100 + i);
    expect(index.size).toBe(3);
    expect([...index.from()]).toEqual(['b', 'c', 'a']);
  });
});

describe('store', () => {
  it('fills defaults and audit fields, derives Name, and bumps SystemModstamp on every write', () => {
    let now = Date.UTC(2026, 10, 1);
    const store = new SalesforceStore({ clock: () => now });
    const lead = store.insert(LEAD, { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical' }, USER);
    expect(lead).toMatchObject({
      Name: 'Ada Lovelace',
      Status: 'Open - Not Contacted',
      MQL__c: false,
      IsConverted: false,
      IsDeleted: false,
      OwnerId: USER,
      CreatedById: USER,
      CreatedDate: now,
      SystemModstamp: now,
      Email: null,
    });
    const created = lead.SystemModstamp as number;
    store.update(LEAD, lead, { Title: 'CSO' }, 'other');
    expect(lead.SystemModstamp).toBe(created + 1);
    expect(lead.LastModifiedById).toBe('other');
    now += 5000;
    store.update(LEAD, lead, { Title: 'CEO' }, USER);
    expect(lead.SystemModstamp).toBe(now);
    expect(lead.LastModifiedDate).toBe(now);
  });

  it('indexes values case-insensitively and follows updates', () => {
    const store = new SalesforceStore();
    const a = store.insert(LEAD, { LastName: 'A', Company: 'C', Email: 'Mixed@Case.com' }, USER);
    expect(store.lookup('Lead', 'Email', 'mixed@case.COM').map((r) => r.Id)).toEqual([a.Id]);
    store.update(LEAD, a, { Email: 'new@case.com' }, USER);
    expect(store.lookup('Lead', 'Email', 'mixed@case.com')).toEqual([]);
    expect(store.lookup('Lead', 'Email', 'NEW@case.com')).toHaveLength(1);
    const task = store.insert(TASK, { WhoId: a.Id as string, Lifecycle_Sync_Key__c: 'lsync:1:2' }, USER);
    expect(store.lookup('Task', 'WhoId', a.Id as string)).toEqual([task]);
    expect(task).toMatchObject({ Status: 'Not Started', Priority: 'Normal', IsClosed: false });
    expect(() => store.lookup('Lead', 'Title', 'x')).toThrow(/not indexed/);
  });
});
