import { createRng, hashKeys, rngFor } from '../../sandbox/common/rng';

describe('seeded rng', () => {
  it('reproduces a stream from one seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('int() stays within inclusive bounds and reaches both ends', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('chance() respects its extremes and is roughly calibrated', () => {
    const rng = createRng(9);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.27);
    expect(hits / 10_000).toBeLessThan(0.33);
  });

  it('pick() returns members and refuses an empty array', () => {
    const rng = createRng(1);
    const items = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 50; i++) expect(items).toContain(rng.pick(items));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('rngFor() derives independent, reproducible streams per key', () => {
    expect(rngFor(1, 'lock', '00Q1').next()).toBe(rngFor(1, 'lock', '00Q1').next());
    expect(rngFor(1, 'lock', '00Q1').next()).not.toBe(rngFor(1, 'lock', '00Q2').next());
    expect(rngFor(1, 'lock', '00Q1').next()).not.toBe(rngFor(2, 'lock', '00Q1').next());
    // key boundaries matter, and numbers differ from their string spelling
    expect(hashKeys('ab', 'c')).not.toBe(hashKeys('a', 'bc'));
    expect(hashKeys(1)).not.toBe(hashKeys('1'));
  });
});
