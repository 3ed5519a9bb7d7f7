/**
 * A time index of one portal-wide feed (one form's submissions, one email event type, page
 * views, one marketing event's participations): compact typed arrays of (time, contact,
 * slot) for the seeded history, so a million contacts' eight million activities fit in a
 * few tens of MB, plus a small sorted list of entries added while the simulator runs.
 *
 * Entries are ordered by (time, key) with key = contact * 65536 + slot: unique per activity,
 * so a cursor `(time, key)` pages without gaps or repeats even when many entries share a time.
 */

export interface FeedEntry {
  time: number;
  contact: number;
  slot: number;
}

export interface FeedCursor {
  time: number;
  key: number;
}

export interface FeedQuery {
  /** Inclusive bounds in epoch ms. */
  from?: number;
  to?: number;
  order: 'asc' | 'desc';
  /** The last entry of the previous page (exclusive). */
  after?: FeedCursor;
  limit: number;
}

const SLOT_SPAN = 65_536;
const keyOf = (contact: number, slot: number): number => contact * SLOT_SPAN + slot;

/** Lexicographic comparison of (time, key) pairs. */
function compare(t1: number, k1: number, t2: number, k2: number): number {
  return t1 !== t2 ? t1 - t2 : k1 - k2;
}

export function encodeCursor(entry: FeedEntry): string {
  return Buffer.from(`${entry.time}:${keyOf(entry.contact, entry.slot)}`).toString('base64url');
}

/** The cursor of an `after` string, or undefined when it is not one of ours. */
export function decodeCursor(text: string | undefined): FeedCursor | undefined {
  if (!text) return undefined;
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(text, 'base64url').toString());
  return match ? { time: Number(match[1]), key: Number(match[2]) } : undefined;
}

/**
 * Collects seeded entries in contact order into growable typed arrays (off the JS heap, so a
 * million contacts' build does not leave a bloated heap behind), then sorts them by time.
 */
export class FeedIndexBuilder {
  private times = new Float64Array(1024);
  private contacts = new Int32Array(1024);
  private slots = new Uint8Array(1024);
  private n = 0;

  add(time: number, contact: number, slot: number): void {
    if (this.n === this.times.length) {
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(from: T, make: (n: number) => T): T => {
        const to = make(from.length * 2);
        to.set(from);
        return to;
      };
      this.times = grow(this.times, (n) => new Float64Array(n));
      this.contacts = grow(this.contacts, (n) => new Int32Array(n));
      this.slots = grow(this.slots, (n) => new Uint8Array(n));
    }
    this.times[this.n] = time;
    this.contacts[this.n] = contact;
    this.slots[this.n] = slot;
    this.n++;
  }

  /**
   * Sorts by (second, insertion order) with one native sort of packed keys: seconds since the
   * earliest entry times 2^26 plus the ordinal. Entries were added in key order, so this is
   * (time, key) order; seeded times are whole seconds, so nothing is lost.
   */
  build(): FeedIndex {
    const n = this.n;
    let base = Infinity;
    for (let i = 0; i < n; i++) base = Math.min(base, Math.floor((this.times[i] ?? 0) / 1000));
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (Math.floor((this.times[i] ?? 0) / 1000) - base) * ORDINAL_SPAN + i;
    keys.sort();
    const sortedTimes = new Float64Array(n);
    const sortedContacts = new Int32Array(n);
    const sortedSlots = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const key = keys[i] ?? 0;
      const from = key % ORDINAL_SPAN;
      sortedTimes[i] = (base + (key - from) / ORDINAL_SPAN) * 1000;
      sortedContacts[i] = this.contacts[from] ?? 0;
      sortedSlots[i] = this.slots[from] ?? 0;
    }
    return new FeedIndex(sortedTimes, sortedContacts, sortedSlots);
  }
}

/** Entries per feed the packed sort supports (2^26), ample for 2^21 contacts. */
const ORDINAL_SPAN = 2 ** 26;

export class FeedIndex {
  private readonly added: FeedEntry[] = [];

  constructor(
    private readonly times: Float64Array,
    private readonly contacts: Int32Array,
    private readonly slots: Uint8Array,
  ) {}

  static empty(): FeedIndex {
    return new FeedIndex(new Float64Array(0), new Int32Array(0), new Uint8Array(0));
  }

  /** Adds an entry at run time (kept sorted; runtime additions are few). */
  add(entry: FeedEntry): void {
    const key = keyOf(entry.contact, entry.slot);
    let lo = 0;
    let hi = this.added.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.added[mid]!;
      if (compare(m.time, keyOf(m.contact, m.slot), entry.time, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.added.splice(lo, 0, entry);
  }

  /** Entries in [from, to] (both optional). */
  count(from = -Infinity, to = Infinity): number {
    const inAdded = this.added.filter((e) => e.time >= from && e.time <= to).length;
    return this.lowerBound(to, Infinity) - this.lowerBound(from, -Infinity) + inAdded;
  }

  /** One page in the requested order, starting after the cursor. */
  page(query: FeedQuery): { entries: FeedEntry[]; hasMore: boolean } {
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const asc = query.order === 'asc';
    const cursor = query.after;
    // Start positions in both sources, then a two-way merge.
    let b: number;
    let a: number;
    if (asc) {
      b = cursor ? this.lowerBound(cursor.time, cursor.key + 0.5) : this.lowerBound(from, -Infinity);
      a = this.added.findIndex((e) => (cursor ? compare(e.time, keyOf(e.contact, e.slot), cursor.time, cursor.key) > 0 : e.time >= from));
      if (a < 0) a = this.added.length;
    } else {
      b = (cursor ? this.lowerBound(cursor.time, cursor.key - 0.5) : this.lowerBound(to, Infinity)) - 1;
      a = this.added.length - 1;
      while (a >= 0 && (cursor ? compare(this.added[a]!.time, keyOf(this.added[a]!.contact, this.added[a]!.slot), cursor.time, cursor.key) >= 0 : this.added[a]!.time > to)) a--;
    }
    const entries: FeedEntry[] = [];
    const inRange = (t: number): boolean => t >= from && t <= to;
    while (entries.length <= query.limit) {
      const builtOk = asc ? b < this.times.length : b >= 0;
      const addedOk = asc ? a < this.added.length : a >= 0;
      if (!builtOk && !addedOk) break;
      let takeBuilt = builtOk;
      if (builtOk && addedOk) {
        const e = this.added[a]!;
        const c = compare(this.times[b]!, keyOf(this.contacts[b]!, this.slots[b]!), e.time, keyOf(e.contact, e.slot));
        takeBuilt = asc ? c < 0 : c > 0;
      }
      const entry = takeBuilt ? { time: this.times[b]!, contact: this.contacts[b]!, slot: this.slots[b]! } : this.added[a]!;
      if (!inRange(entry.time)) break;
      entries.push(entry);
      if (takeBuilt) b += asc ? 1 : -1;
      else a += asc ? 1 : -1;
    }
    const hasMore = entries.length > query.limit;
    if (hasMore) entries.length = query.limit;
    return { entries, hasMore };
  }

  /** First built position whose (time, key) is not below (time, key). */
  private lowerBound(time: number, key: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.times[mid]!, keyOf(this.contacts[mid]!, this.slots[mid]!), time, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
