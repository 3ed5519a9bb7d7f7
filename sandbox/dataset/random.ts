/** Small helpers over the shared seeded stream, for generating one record at a time. */
import type { Rng } from '../common';

/** A choice with a relative weight (weights need not sum to 1). */
export type Weighted<T> = readonly [T, number];

/** One value drawn with probability proportional to its weight. */
export function weightedPick<T>(rng: Rng, choices: readonly Weighted<T>[]): T {
  let total = 0;
  for (const [, weight] of choices) total += weight;
  let roll = rng.next() * total;
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new RangeError('weightedPick() needs at least one choice');
  return last[0];
}

export const DAY_MS = 86_400_000;

/** An ISO instant from epoch ms (HubSpot's datetime property format). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `digits` lowercase hex digits from the stream, for ids that only need to look random. */
export function hex(rng: Rng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(rng.next() * 16).toString(16);
  return out;
}

/** A version-4-shaped UUID from the stream (deterministic, unlike crypto.randomUUID). */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function uuidFrom(rng: Rng): string {
  const word = (): string => {
    const x = Math.floor(rng.next() * 4294967296);
    return `${BYTE_HEX[x >>> 24]}${BYTE_HEX[(x >>> 16) & 255]}${BYTE_HEX[(x >>> 8) & 255]}${BYTE_HEX[x & 255]}`;
  };
  const a = word();
  const b = word();
  const c = word();
  const d = word();
  const variant = '89ab'[Number.parseInt(c.charAt(0), 16) & 3] ?? '8';
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

/** Lowercase ASCII slug of a name (diacritics folded), for e-mail local parts and domains. */
export function slug(text: string, separator = ''): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/ /g, separator);
}
