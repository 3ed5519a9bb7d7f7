import { parseSoql, MAX_SOQL_LENGTH } from '../../sandbox/salesforce/soql/parser';
import { SoqlError } from '../../sandbox/salesforce/soql/errors';

function soqlError(soql: string): SoqlError {
  try {
    parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL parser', () => {
  it('parses fields, object, ORDER BY, LIMIT and OFFSET with keywords in any case', () => {
    const q = parseSoql('select Id, email FROM Lead order by SystemModstamp ASC, Id desc nulls last LIMIT 200 offset 10');
    expect(q.select.map((s) => (s.kind === 'field' ? s.field.name : 'count'))).toEqual(['Id', 'email']);
    expect(q.from.name).toBe('Lead');
    expect(q.orderBy).toEqual([
      { field: { name: 'SystemModstamp', pos: 36 }, descending: false },
      { field: { name: 'Id', pos: 56 }, descending: true, nullsFirst: false },
    ]);
    expect(q.limit).toBe(200);
    expect(q.offset).toBe(10);
  });

  it('parses the incremental cursor form with datetime literals and nested parentheses', () => {
    const q = parseSoql(
      "SELECT Id FROM Lead WHERE SystemModstamp > 2026-11-01T00:00:00Z OR (SystemModstamp = 2026-11-01T00:00:00.000+0000 AND Id > '00Q8a0000000001EAA')",
    );
    expect(q.where).toMatchObject({
      kind: 'or',
      items: [
        { kind: 'compare', op: '>', value: { kind: 'datetime', value: Date.UTC(2026, 10, 1) } },
        {
          kind: 'and',
          items: [
            { kind: 'compare', op: '=', value: { kind: 'datetime', value: Date.UTC(2026, 10, 1) } },
            { kind: 'compare', field: { name: 'Id' }, op: '>', value: { kind: 'string', value: '00Q8a0000000001EAA' } },
          ],
        },
      ],
    });
  });

  it('parses IN, NOT IN, LIKE, NOT, null, booleans, numbers, dates and <>', () => {
    const q = parseSoql(
      "SELECT Id FROM Lead WHERE Email IN ('a@x.com', 'b@x.com') AND Status NOT IN ('Disqualified') AND NOT Company LIKE 'Acme%' AND Email != null AND MQL__c = true AND MQL_Score__c >= -2.5 AND SQL_Date__c <> 2026-11-02",
    );
    expect(q.where).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'in', negated: false, values: [{ value: 'a@x.com' }, { value: 'b@x.com' }] },
        { kind: 'in', negated: true, values: [{ value: 'Disqualified' }] },
        { kind: 'not', item: { kind: 'like', pattern: { kind: 'string', value: 'Acme%' } } },
        { kind: 'compare', op: '!=', value: { kind: 'null' } },
        { kind: 'compare', op: '=', value: { kind: 'boolean', value: true } },
        { kind: 'compare', op: '>=', value: { kind: 'number', value: -2.5 } },
        { kind: 'compare', op: '!=', value: { kind: 'date', value: '2026-11-02' } },
      ],
    });
  });

  it('reads datetime literals with offsets and fractions as instants', () => {
    const q = parseSoql('SELECT Id FROM Lead WHERE CreatedDate >= 2026-11-23T10:00:00+01:00 AND CreatedDate < 2026-11-23T10:00:00.250-0130');
    expect(q.where).toMatchObject({
      items: [
        { value: { value: Date.UTC(2026, 10, 23, 9, 0, 0) } },
        { value: { value: Date.UTC(2026, 10, 23, 11, 30, 0, 250) } },
      ],
    });
  });

  it('unescapes string literals and keeps LIKE escapes', () => {
    const q = parseSoql("SELECT Id FROM Lead WHERE LastName = 'O\\'Brien \\\\ \\n\\u00e9' AND Company LIKE '100\\%'");
    expect(q.where).toMatchObject({
      items: [{ value: { value: "O'Brien \\ \n\u00e9" } }, { pattern: { value: '100\\%' } }],
    });
    expect(soqlError("SELECT Id FROM Lead WHERE LastName = 'a\\qb'").detail).toMatch(/Illegal escape sequence/);
  });

  it('parses COUNT() and COUNT(field)', () => {
    expect(parseSoql('SELECT COUNT() FROM Lead').select).toEqual([{ kind: 'count', field: undefined, pos: 7 }]);
    expect(parseSoql('SELECT count(Email) FROM Lead').select).toEqual([{ kind: 'count', field: { name: 'Email', pos: 13 }, pos: 7 }]);
  });

  it('refuses AND and OR mixed at one level, like Salesforce', () => {
    const e = soqlError("SELECT Id FROM Lead WHERE Email = 'a' AND Status = 'b' OR Company = 'c'");
    expect(e.code).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe('unexpected token: OR');
    expect(e.toApiError("SELECT Id FROM Lead WHERE Email = 'a' AND Status = 'b' OR Company = 'c'").body()).toEqual([
      {
        errorCode: 'MALFORMED_QUERY',
        message:
          "\nSELECT Id FROM Lead WHERE Email = 'a' AND Status = 'b' OR Company = 'c'\n" +
          `${' '.repeat(55)}^\nERROR at Row:1:Column:56\nunexpected token: OR`,
      },
    ]);
  });

  it.each([
    ['SELECT FROM Lead', 'unexpected token: FROM'],
    ['SELECT Id FROM Lead WHERE', 'unexpected token: <EOF>'],
    ['SELECT Id FROM Lead WHERE Email = ', 'unexpected token: <EOF>'],
    ['SELECT Id FROM Lead WHERE (Email = null', 'unexpected token: <EOF>'],
    ['SELECT Id FROM Lead LIMIT x', 'unexpected token: x'],
    ['SELECT Id FROM Lead WHERE Email == null', 'unexpected token: ='],
    ['SELECT Id FROM Lead GROUP BY Email', 'unexpected token: GROUP'],
    ["SELECT Id FROM Lead WHERE Email = 'open", "line 1:34 mismatched character '<EOF>' expecting '''"],
    ['SELECT Id FROM Lead WHERE Id IN (SELECT WhoId FROM Task)', 'semi-join sub-selects are not supported by this simulator'],
  ])('reports MALFORMED_QUERY for %s', (soql, detail) => {
    const e = soqlError(soql);
    expect(e.code).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe(detail);
  });

  it('refuses statements over 100,000 characters', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `'00Q8a00000${String(i).padStart(5, '0')}AAA'`);
    const soql = `SELECT Id FROM Lead WHERE Id IN (${ids.join(',')})`;
    expect(soql.length).toBeGreaterThan(MAX_SOQL_LENGTH);
    const e = soqlError(soql);
    expect(e.code).toBe('MALFORMED_QUERY');
    expect(e.toApiError(soql).body()[0]?.message).toBe('SOQL statements cannot be longer than 100,000 characters');
  });
});
