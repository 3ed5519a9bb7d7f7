/** SOQL literals and the chunking of batched queries. */
import fc from 'fast-check';
import { chunkedQueries, dateTimeLiteral, fits, quote, quoteList } from '../../../connectors/salesforce/soql';

describe('quote', () => {
  it('escapes what would end or bend a literal', () => {
    expect(quote("o'brien@example.com")).toBe("'o\\'brien@example.com'");
    expect(quote('back\\slash')).toBe("'back\\\\slash'");
    expect(quote('a"b\nc\td\re')).toBe("'a\\\"b\\nc\\td\\re'");
    expect(quoteList(['1', "x' OR Id != null OR Email = '"])).toBe("'1','x\\' OR Id != null OR Email = \\''");
  });

  it('keeps every quote of any input escaped (no injection)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const literal = quote(s);
        const body = literal.slice(1, -1);
        // Outside escape pairs, no bare quote remains.
        expect(body.replace(/\\./g, '')).not.toMatch(/'/);
      }),
    );
  });
});

describe('dateTimeLiteral', () => {
  it('is an unquoted UTC instant with milliseconds', () => {
    expect(dateTimeLiteral(Date.UTC(2026, 10, 23, 10, 0, 0, 123))).toBe('2026-11-23T10:00:00.123Z');
  });
});

describe('chunkedQueries', () => {
  const limits = { maxSoqlLength: 400, maxEncodedQueryLength: 600 };
  const build = (chunk: readonly string[]) => `SELECT Id FROM Lead WHERE Email IN (${quoteList(chunk)})`;

  it('cuts values into the fewest statements that each fit, in order, none lost', () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress().filter((e) => e.length < 60), { maxLength: 120 }), (emails) => {
        const queries = chunkedQueries(emails, build, limits);
        for (const q of queries) expect(fits(q, limits)).toBe(true);
        const back = queries.flatMap((q) => [...q.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] as string).replace(/\\(.)/g, '$1')));
        expect(back).toEqual(emails);
        // Maximal: each chunk plus the next value would not fit.
        let offset = 0;
        for (const q of queries.slice(0, -1)) {
          const size = [...q.matchAll(/'(?:[^'\\]|\\.)*'/g)].length;
          expect(fits(build(emails.slice(offset, offset + size + 1)), limits)).toBe(false);
          offset += size;
        }
      }),
    );
  });

  it('counts the URL-encoded length too: addresses heavy in encoded characters make smaller chunks', () => {
    const plain = Array.from({ length: 40 }, (_, i) => `p${i}@example.com`);
    const heavy = Array.from({ length: 40 }, (_, i) => `p+${i}&x=?@example.com`);
    expect(chunkedQueries(heavy, build, limits).length).toBeGreaterThan(chunkedQueries(plain, build, limits).length);
  });

  it('refuses a value that cannot fit even alone', () => {
    expect(() => chunkedQueries(['x'.repeat(500)], build, limits)).toThrow(/over the limit/);
  });
});
