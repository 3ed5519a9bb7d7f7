import fc from 'fast-check';
import { isoDay, parseInstant } from '../../src/domain/time';

describe('parseInstant', () => {
  test('agrees with Date.parse on every canonical instant', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), fc.boolean(), (d, withMs) => {
      const iso = withMs ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(parseInstant(iso)).toBe(Date.parse(iso));
    }));
  });

  test('agrees with Date.parse over the whole 4-digit year range, fractional seconds included', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), fc.boolean(), (d, withMs) => {
      const iso = withMs ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(parseInstant(iso)).toBe(Date.parse(iso));
    }));
  });

  test('agrees with Date.parse on any canonical-looking field values, in range or not', () => {
    const field = (digits: number) => fc.integer({ min: 0, max: 10 ** digits - 1 }).map((v) => String(v).padStart(digits, '0'));
    fc.assert(fc.property(field(4), field(2), field(2), field(2), field(2), field(2), fc.option(field(3)), (y, mo, d, h, mi, s, ms) => {
      const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms === null ? '' : `.${ms}`}Z`;
      expect(Object.is(parseInstant(iso), Date.parse(iso))).toBe(true);
    }));
  });

  test('agrees with Date.parse on offsets and other fractions (the Date.parse fallback)', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.integer({ min: 0, max: 3 }), (d, offsetMin, fraction) => {
      const sign = offsetMin < 0 ? '-' : '+';
      const off = `${sign}${String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMin) % 60).padStart(2, '0')}`;
      const base = d.toISOString().slice(0, 19) + (fraction ? d.toISOString().slice(19, 20 + fraction) : '');
      for (const iso of [base + off, base + 'Z']) expect(Object.is(parseInstant(iso), Date.parse(iso))).toBe(true);
    }));
  });

  test.each([
    '2026-11-20', '2026-11-20T12:00:00+02:00', '2026-11-20T12:00:00.5Z', '2026-11-20T12:00:00.123456Z', '2026-11-20t12:00:00z',
    '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-02-31T00:00:00Z', '2026-11-20T24:00:00Z', '2026-11-20T23:60:00Z', '2026-11-20T23:59:60Z',
    '2026-11-20T2x:00:00Z', '2026-11-20T-1:00:00Z', '2026/11/20T12:00:00Z', '2026-11-20 12:00:00Z', '2026-11-20T12:00:00,123Z', '0099-03-01T00:00:00.123Z',
    'garbage', '',
  ])('agrees with Date.parse on %p', (s) => {
    expect(Object.is(parseInstant(s), Date.parse(s))).toBe(true);
  });
});

test('isoDay gives the UTC calendar day', () => {
  expect(isoDay(Date.parse('2026-11-20T23:59:59.999Z'))).toBe('2026-11-20');
  expect(isoDay(Date.parse('2026-11-21T00:00:00Z'))).toBe('2026-11-21');
});
