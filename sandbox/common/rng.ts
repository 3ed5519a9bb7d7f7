/**
 * Seeded pseudo-random numbers for the simulators.
 *
 * Every random decision a simulator makes (faults, scripted sales behaviour) comes from a
 * stream derived from the run's seed plus the keys that identify the decision, so the same
 * seed reproduces the same run regardless of the order unrelated requests arrive in.
 */

/** A deterministic random stream. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p` (values <= 0 never, >= 1 always). */
  chance(p: number): boolean;
  /** One element of a non-empty array. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
}

/** A key part accepted by {@link hashKeys} and {@link rngFor}. */
export type RngKey = string | number;

/**
 * 32-bit hash of a sequence of keys (FNV-1a over the UTF-16 code units, with a separator
 * between parts so `('ab','c')` and `('a','bc')` differ), finished with a murmur3 mix so
 * nearby inputs give unrelated seeds.
 */
export function hashKeys(...keys: RngKey[]): number {
  let h = 0x811c9dc5;
  for (const key of keys) {
    const text = typeof key === 'number' ? `#${key}` : `s${key}`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A mulberry32 stream: tiny, fast, and good enough for simulation (not for secrets). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(min, max) {
      const lo = Math.ceil(Math.min(min, max));
      const hi = Math.floor(Math.max(min, max));
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    chance(p) {
      if (p <= 0) return false;
      if (p >= 1) return true;
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/**
 * An independent stream for one decision: `rngFor(seed, 'lock', recordId, attempt)`.
 * The same seed and keys always give the same stream.
 */
export function rngFor(seed: RngKey, ...keys: RngKey[]): Rng {
  return createRng(hashKeys(seed, ...keys));
}
