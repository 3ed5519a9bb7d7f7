import { to18 } from '../../sandbox/salesforce/ids';
import { GROUP, LEAD, TASK } from '../../sandbox/salesforce/objects';
import { executeWrites, type WriteContext, type WriteRequest } from '../../sandbox/salesforce/operations';
import { SalesforceStore } from '../../sandbox/salesforce/store';
import { parseBody } from '../../sandbox/salesforce/validate';
import { SalesforceApiError } from '../../sandbox/salesforce/errors';

const USER = to18('0058a0000000001');

function setup(lockIds: string[] = []): { store: SalesforceStore; ctx: WriteContext } {
  const store = new SalesforceStore();
  store.insert(GROUP, { Name: 'Queue', Type: 'Queue', Id: to18('00G8a0000000001') }, USER);
  return { store, ctx: { store, userId: USER, lockFault: (key) => lockIds.includes(key) } };
}

const lead = (values: Record<string, unknown>): WriteRequest => ({ op: 'create', def: LEAD, values: parseBody(LEAD, values) });

describe('record validation', () => {
  const { ctx } = setup();
  const firstError = (values: Record<string, unknown>) => executeWrites(ctx, [lead(values)], false)[0]?.errors[0];

  it.each([
    [{ Company: 'C' }, { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }],
    [{ LastName: 'L', Company: 'C', Email: `${'x'.repeat(75)}@b.com` }, { statusCode: 'STRING_TOO_LONG', message: `Email: data value too large: ${'x'.repeat(75)}@b.com (max length=80)`, fields: ['Email'] }],
    [{ LastName: 'L', Company: 'C', Status: 'Hot' }, { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Status: bad value for restricted picklist field: Hot', fields: ['Status'] }],
    [{ LastName: 'L', Company: 'C', MQL_Tier__c: 'D' }, { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'MQL Tier: bad value for restricted picklist field: D', fields: ['MQL_Tier__c'] }],
    [{ LastName: 'L', Company: 'C', IsConverted: true }, { statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsConverted'] }],
    [{ LastName: 'L', Company: 'C', Email: 'not-an-email' }, { statusCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: not-an-email', fields: ['Email'] }],
    [{ LastName: 'L', Company: 'C', MQL_Score__c: 123456 }, { statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', fields: ['MQL_Score__c'] }],
    [{ LastName: 'L', Company: 'C', Status: null }, { statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Status'] }],
  ])('refuses %j', (values, expected) => {
    expect(firstError(values)).toMatchObject(expected);
  });

  it('accepts an unrestricted picklist value, rounds numbers to their scale and maps "" to null', () => {
    const [result] = executeWrites(ctx, [lead({ LastName: 'L', Company: 'C', LeadSource: 'Podcast', MQL_Score__c: 71.26, Title: '' })], false);
    const stored = ctx.store.get(result!.id as string)!;
    expect(stored).toMatchObject({ LeadSource: 'Podcast', MQL_Score__c: 71.3, Title: null });
  });

  it('throws request-level errors for unknown fields and unconvertible values', () => {
    expect(() => parseBody(LEAD, { LastName: 'L', Shoe_Size__c: 9 })).toThrow(SalesforceApiError);
    expect(() => parseBody(LEAD, { Foo: 1 })).toThrow("No such column 'Foo' on sobject of type Lead");
    expect(() => parseBody(LEAD, { MQL_Date__c: '2026-11-23' })).toThrow(/Cannot deserialize/);
    expect(parseBody(LEAD, { mql_date__c: '2026-11-23T10:00:00Z', attributes: { type: 'Lead' } })).toEqual({ MQL_Date__c: Date.UTC(2026, 10, 23, 10) });
  });

  it('refuses a queue as Task owner and references of the wrong kind', () => {
    const queue = to18('00G8a0000000001');
    const task = (values: Record<string, unknown>) => executeWrites(ctx, [{ op: 'create', def: TASK, values: parseBody(TASK, values) }], false)[0]!;
    expect(task({ Subject: 'x', OwnerId: queue }).errors[0]).toEqual({
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: `Assigned To ID: id value of incorrect type: ${queue}`,
      fields: ['OwnerId'],
    });
    expect(task({ Subject: 'x', WhoId: 'garbage' }).errors[0]?.statusCode).toBe('MALFORMED_ID');
    expect(task({ Subject: 'x', WhoId: to18('00Q8a00000zzzzz') }).errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });
});

describe('batch semantics', () => {
  it('applies the valid records when allOrNone is false', () => {
    const { store, ctx } = setup();
    const results = executeWrites(ctx, [lead({ LastName: 'A', Company: 'C' }), lead({ LastName: 'B' })], false);
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect(store.count('Lead')).toBe(1);
  });

  it('rolls everything back under allOrNone, failures keep their own error', () => {
    const { store, ctx } = setup();
    const results = executeWrites(ctx, [lead({ LastName: 'A', Company: 'C' }), lead({ LastName: 'B' })], true);
    expect(results[0]).toEqual({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
    });
    expect(results[1]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(store.count('Lead')).toBe(0);
  });

  it('enforces unique external ids across the store and within one batch', () => {
    const { store, ctx } = setup();
    const task = (key: string): WriteRequest => ({ op: 'create', def: TASK, values: { Subject: 's', Lifecycle_Sync_Key__c: key } });
    const [first] = executeWrites(ctx, [task('lsync:1:1')], false);
    const [again] = executeWrites(ctx, [task('LSYNC:1:1')], false);
    expect(again?.errors[0]).toEqual({
      statusCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Lifecycle_Sync_Key__c duplicates value on record with id: ${String(first?.id)}`,
      fields: [],
    });
    const inBatch = executeWrites(ctx, [task('lsync:2:2'), task('lsync:2:2')], false);
    expect(inBatch.map((r) => r.errors[0]?.statusCode)).toEqual([undefined, 'DUPLICATE_VALUE']);
    expect(store.count('Task')).toBe(2);
  });

  it('upserts idempotently by external id and flags duplicates within a batch', () => {
    const { store, ctx } = setup();
    const field = TASK.byLower.get('lifecycle_sync_key__c')!;
    const upsert = (key: string, subject: string): WriteRequest => ({ op: 'upsert', def: TASK, field, values: { Lifecycle_Sync_Key__c: key, Subject: subject } });
    const [created] = executeWrites(ctx, [upsert('k1', 'one')], false);
    const [updated] = executeWrites(ctx, [upsert('k1', 'two')], false);
    expect(created).toMatchObject({ success: true, created: true });
    expect(updated).toEqual({ id: created?.id, success: true, errors: [], created: false });
    expect(store.get(created!.id as string)?.Subject).toBe('two');
    const dup = executeWrites(ctx, [upsert('k2', 'a'), upsert('K2', 'b')], false);
    expect(dup.map((r) => r.errors[0]?.statusCode)).toEqual(['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID']);
    expect(store.count('Task')).toBe(1);
  });

  it('fails locked rows with UNABLE_TO_LOCK_ROW, Task inserts locking their parent', () => {
    const { ctx } = setup();
    const [a] = executeWrites(ctx, [lead({ LastName: 'A', Company: 'C' })], false);
    const locked = { ...ctx, lockFault: (key: string) => key === a!.id };
    const [update] = executeWrites(locked, [{ op: 'update', def: LEAD, id: a!.id as string, values: { Title: 'x' } }], false);
    expect(update).toEqual({
      id: a!.id,
      success: false,
      errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: `unable to obtain exclusive access to this record or 1 records: ${String(a!.id)}`, fields: [] }],
    });
    const [task] = executeWrites(locked, [{ op: 'create', def: TASK, values: { Subject: 's', WhoId: a!.id as string } }], false);
    expect(task?.errors[0]?.statusCode).toBe('UNABLE_TO_LOCK_ROW');
  });

  it('blocks new Leads and Contacts by e-mail only when the duplicate rule is on', () => {
    const { store, ctx } = setup();
    executeWrites(ctx, [lead({ LastName: 'A', Company: 'C', Email: 'dup@x.com' })], false);
    expect(executeWrites(ctx, [lead({ LastName: 'B', Company: 'C', Email: 'dup@x.com' })], false)[0]?.success).toBe(true);
    const blocking = { ...ctx, blockDuplicates: true };
    const [blocked] = executeWrites(blocking, [lead({ LastName: 'C', Company: 'C', Email: 'DUP@x.com' })], false);
    expect(blocked?.errors[0]).toEqual({
      statusCode: 'DUPLICATES_DETECTED',
      message: "You're creating a duplicate record. We recommend you use an existing record instead.",
      fields: [],
    });
    expect(executeWrites(blocking, [lead({ LastName: 'D', Company: 'C', Email: 'other@x.com' })], false)[0]?.success).toBe(true);
    expect(store.count('Lead')).toBe(3);
  });

  it('refuses writes to deleted records and to converted leads', () => {
    const { store, ctx } = setup();
    const [a, b] = executeWrites(ctx, [lead({ LastName: 'A', Company: 'C' }), lead({ LastName: 'B', Company: 'C' })], false);
    executeWrites(ctx, [{ op: 'delete', id: a!.id as string }], false);
    store.update(LEAD, store.get(b!.id as string)!, { IsConverted: true }, USER);
    const results = executeWrites(
      ctx,
      [
        { op: 'update', def: LEAD, id: a!.id as string, values: { Title: 'x' } },
        { op: 'update', def: LEAD, id: b!.id as string, values: { Title: 'x' } },
        { op: 'delete', id: a!.id as string },
      ],
      false,
    );
    expect(results.map((r) => r.errors[0])).toEqual([
      { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
      { statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead', fields: [] },
      { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
    ]);
  });
});
