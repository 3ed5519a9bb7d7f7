import fc from 'fast-check';
import { isoDay, parseInstant } from '../../src/domain/time';

describe('parseInstant', () => {
  test('agrees with Date.parse on every canonical instant', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), fc.boolean(), (d, withMs) => {
      const iso = withMs ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(parseInstant(iso)).toBe(Date.parse(iso));
    }));
  });

  test.each(['2026-11-20', '2026-11-20T12:00:00+02:00', '2026-13-01T00:00:00Z', '2026-11-20T2x:00:00Z', 'garbage', ''])('falls back to Date.parse for %p', (s) => {
    expect(Object.is(parseInstant(s), Date.parse(s))).toBe(true);
  });
});

test('isoDay gives the UTC calendar day', () => {
  expect(isoDay(Date.parse('2026-11-20T23:59:59.999Z'))).toBe('2026-11-20');
  expect(isoDay(Date.parse('2026-11-21T00:00:00Z'))).toBe('2026-11-21');
});
