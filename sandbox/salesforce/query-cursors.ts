/**
 * Open query cursors behind `nextRecordsUrl`. Like Salesforce, a locator expires after 15
 * minutes without use and a user has at most 10 open cursors: opening another one silently
 * drops the oldest, whose locator then answers INVALID_QUERY_LOCATOR.
 */
import { IdFactory } from './ids';
import type { FieldDef, ObjectDef, SfRecord } from './schema';

export interface Cursor {
  userId: string;
  object: ObjectDef;
  fields: FieldDef[];
  records: SfRecord[];
  pageSize: number;
  lastUsed: number;
}

export interface CursorOptions {
  /** @defaultValue 10 */
  maxPerUser?: number;
  /** @defaultValue 15 minutes */
  idleMs?: number;
  clock?: () => number;
}

export class QueryCursors {
  private readonly open = new Map<string, Cursor>();
  private readonly ids = new IdFactory('8a');
  private readonly maxPerUser: number;
  private readonly idleMs: number;
  private readonly clock: () => number;

  constructor(options: CursorOptions = {}) {
    this.maxPerUser = options.maxPerUser ?? 10;
    this.idleMs = options.idleMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Registers the rest of a result and returns its cursor id (an `01g` id). */
  create(cursor: Omit<Cursor, 'lastUsed'>): string {
    this.expireIdle();
    const mine = [...this.open.entries()].filter(([, c]) => c.userId === cursor.userId);
    // Map iteration follows insertion order, and take() re-inserts on use: oldest first.
    for (const [id] of mine.slice(0, Math.max(0, mine.length - this.maxPerUser + 1))) this.open.delete(id);
    const id = this.ids.next('01g');
    this.open.set(id, { ...cursor, lastUsed: this.clock() });
    return id;
  }

  /** The cursor behind a locator id, marking it used, or undefined when unknown or expired. */
  take(id: string): Cursor | undefined {
    this.expireIdle();
    const cursor = this.open.get(id);
    if (!cursor) return undefined;
    cursor.lastUsed = this.clock();
    this.open.delete(id);
    this.open.set(id, cursor);
    return cursor;
  }

  /** Forgets a cursor whose last page was served. */
  close(id: string): void {
    this.open.delete(id);
  }

  private expireIdle(): void {
    const cutoff = this.clock() - this.idleMs;
    for (const [id, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(id);
  }
}
