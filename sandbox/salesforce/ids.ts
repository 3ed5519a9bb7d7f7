/**
 * Salesforce record ids: 15 case-sensitive base-62 characters starting with the object's key
 * prefix, plus the 3-character case-insensitive checksum that makes the 18-character form.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The 18-character form of a 15-character id (unchanged when already 18). */
export function to18(id: string): string {
  if (id.length === 18) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM[bits];
  }
  return id + suffix;
}

/** True for a syntactically valid 15- or 18-character id (checksum verified for 18). */
export function isSalesforceId(value: string): boolean {
  if (ID15.test(value)) return true;
  return ID18.test(value) && to18(value.slice(0, 15)).toUpperCase() === value.toUpperCase();
}

/**
 * Canonical 18-character id for a 15- or 18-character input, or undefined when invalid.
 * The checksum is case-insensitive, so an 18-character id with a lower-cased suffix is fixed.
 */
export function normaliseId(value: string): string | undefined {
  if (!isSalesforceId(value)) return undefined;
  return to18(value.slice(0, 15));
}

/** Issues fresh ids per key prefix (`00Q` Lead, `003` Contact...), skipping ids in use. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  /** @param pod two characters standing for the org's instance, part of every id */
  constructor(private readonly pod = '8a') {}

  next(prefix: string, inUse: (id: string) => boolean = () => false): string {
    for (;;) {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      const id = to18(prefix + this.pod + base62(n, 10));
      if (!inUse(id)) return id;
    }
  }
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}
