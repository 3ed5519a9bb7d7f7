/**
 * Records of one object ordered by (SystemModstamp, Id), for the incremental-sync query
 * `WHERE SystemModstamp > X OR (SystemModstamp = X AND Id > 'id') ORDER BY SystemModstamp, Id`.
 *
 * Two parallel arrays stay sorted; a write appends the record's new position (usually at
 * the end, since stamps grow) and leaves its old entry in place as stale. An entry is live
 * while the record still carries that stamp; stale entries are compacted away once they
 * outnumber live ones, so memory stays within twice the record count.
 */

export type StampOf = (id: string) => number | undefined;

export class ModstampIndex {
  private stamps: number[] = [];
  private ids: string[] = [];
  private stale = 0;

  constructor(private readonly stampOf: StampOf) {}

  /** Adds without sorting; call {@link sort} once after a bulk load. */
  push(stamp: number, id: string): void {
    this.stamps.push(stamp);
    this.ids.push(id);
  }

  sort(): void {
    const order = this.ids.map((_, i) => i).sort((a, b) => this.compareAt(a, b));
    this.stamps = order.map((i) => this.stamps[i] as number);
    this.ids = order.map((i) => this.ids[i] as string);
  }

  /** Records that `id` moved from `previous` (if it was indexed) to `stamp`. */
  move(id: string, stamp: number, previous: number | undefined): void {
    if (previous === stamp) return;
    if (previous !== undefined) this.stale++;
    const at = this.lowerBound(stamp, id);
    this.stamps.splice(at, 0, stamp);
    this.ids.splice(at, 0, id);
    if (this.stale > 1024 && this.stale > this.stamps.length / 2) this.compact();
  }

  /** Live ids in (stamp, id) order, starting at the first entry with a stamp >= `from`. */
  *from(from = -Infinity): Generator<string> {
    const start = from === -Infinity ? 0 : this.lowerBound(from, '');
    for (let i = start; i < this.stamps.length; i++) {
      const id = this.ids[i] as string;
      if (this.stampOf(id) === this.stamps[i]) yield id;
    }
  }

  get size(): number {
    return this.stamps.length - this.stale;
  }

  private compact(): void {
    const stamps: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < this.stamps.length; i++) {
      const id = this.ids[i] as string;
      const stamp = this.stamps[i] as number;
      if (this.stampOf(id) === stamp) {
        stamps.push(stamp);
        ids.push(id);
      }
    }
    this.stamps = stamps;
    this.ids = ids;
    this.stale = 0;
  }

  /** First position whose (stamp, id) is >= the given pair. */
  private lowerBound(stamp: number, id: string): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.stamps[mid] as number;
      if (s < stamp || (s === stamp && (this.ids[mid] as string) < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compareAt(a: number, b: number): number {
    const d = (this.stamps[a] as number) - (this.stamps[b] as number);
    if (d !== 0) return d;
    const ia = this.ids[a] as string;
    const ib = this.ids[b] as string;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }
}
