/**
 * The sandbox portal's contacts: the lazy generator plus an overlay of what changed since
 * start (writes, creations, deletions, added activities). Nothing is materialised for a
 * contact until it is read; reads go through a small cache because list pages, batch reads
 * and feeds tend to touch the same contacts one after another.
 */
import { contactIdOf, generateContact, historyFreePropertiesOf, indexOfContactId, SUMMARY_DEFAULTS, type DatasetOptions, type SeedActivity, type SeedContact } from '../dataset';
import type { SeedIndexes } from './seed-indexes';

/** A contact as the CRM API returns it. */
export interface ContactRecord {
  index: number;
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

interface Overlay {
  properties: Record<string, string | null>;
  /** What search shows until `visibleAt` (HubSpot indexes changes with a delay). */
  searchView: Record<string, string | null> | null;
  visibleAt: number;
  archived: boolean;
  added: SeedActivity[];
}

const CACHE_SIZE = 1024;

export class ContactStore {
  private readonly overlay = new Map<number, Overlay>();
  private readonly cache = new Map<number, SeedContact>();
  /** Overlay e-mails (lower case) of contacts whose address changed or that were created. */
  private readonly emailOverrides = new Map<string, number[]>();
  private total: number;
  private changes = 0;
  private latestVisibleAt = 0;

  constructor(
    readonly dataset: DatasetOptions,
    readonly seeded: number,
    readonly indexes: SeedIndexes,
    /** How long a change stays invisible to search. @defaultValue 0 */
    public searchDelayMs = 0,
  ) {
    this.total = seeded;
  }

  /** Increases with every change, so a cached search result knows when it is stale. */
  get version(): number {
    return this.changes;
  }

  /** True while some change still waits for its search delay (search results may change by themselves). */
  hasPendingSearchChanges(now: number): boolean {
    return this.latestVisibleAt > now;
  }

  /** Contacts ever created (seeded + created at run time), archived included. */
  get size(): number {
    return this.total;
  }

  /** The seeded contact at `index` as generated (cached). */
  seed(index: number): SeedContact {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const contact = generateContact(this.dataset, index);
    this.cache.set(index, contact);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    return contact;
  }

  isOverlaid(index: number): boolean {
    return this.overlay.has(index);
  }

  /** Indexes with an overlay (written, created, archived or with added activities). */
  overlaidIndexes(): IterableIterator<number> {
    return this.overlay.keys();
  }

  /** The current record, archived ones included; undefined when the index does not exist. */
  record(index: number): ContactRecord | undefined {
    if (index < 0 || index >= this.total) return undefined;
    const over = this.overlay.get(index);
    const properties = over ? over.properties : this.seed(index).properties;
    return {
      index, id: contactIdOf(index), properties,
      createdAt: properties.createdate ?? '', updatedAt: properties.lastmodifieddate ?? '', archived: over?.archived ?? false,
    };
  }

  /** The current, non-archived record of a HubSpot id. */
  byId(id: string): ContactRecord | undefined {
    const record = this.record(indexOfContactId(id));
    return record && !record.archived ? record : undefined;
  }

  /** The oldest non-archived contact with this e-mail (case-insensitive), as HubSpot resolves it. */
  byEmail(email: string): ContactRecord | undefined {
    const wanted = email.toLowerCase();
    const candidates = [...(this.emailOverrides.get(wanted) ?? []), ...this.indexes.emailCandidates(wanted).filter((i) => i < this.seeded)];
    for (const index of [...new Set(candidates)].sort((a, b) => a - b)) {
      const record = this.record(index);
      if (record && !record.archived && record.properties.email?.toLowerCase() === wanted) return record;
    }
    return undefined;
  }

  /** Properties as search sees them now, or undefined when archived or not yet indexed. */
  searchView(index: number, now: number): Record<string, string | null> | undefined {
    const over = this.overlay.get(index);
    if (!over) return index < this.seeded ? this.seed(index).properties : undefined;
    if (over.archived) return undefined;
    if (now < over.visibleAt) return over.searchView ?? undefined;
    return over.properties;
  }

  /**
   * The history-free seeded properties of an untouched seeded contact (see
   * `historyFreePropertiesOf`), or undefined when the contact has an overlay.
   */
  historyFreeView(index: number): Record<string, string | null> | undefined {
    if (index >= this.seeded || this.overlay.has(index)) return undefined;
    return historyFreePropertiesOf(this.dataset, index);
  }

  /** Writes properties (already validated) and dates the change; returns the changed names. */
  write(index: number, values: Record<string, string | null>, now = Date.now()): string[] {
    const over = this.ensureOverlay(index, now);
    const changed: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (over.properties[name] === value) continue;
      if (name === 'email') this.trackEmail(index, value);
      over.properties[name] = value;
      changed.push(name);
    }
    if (changed.length > 0) this.touch(over, now);
    this.changes++;
    return changed;
  }

  /** Creates a contact from validated properties; returns its index. */
  create(values: Record<string, string | null>, now = Date.now()): number {
    const index = this.total++;
    this.changes++;
    const stamp = new Date(now).toISOString();
    const properties: Record<string, string | null> = Object.assign({}, SUMMARY_DEFAULTS, values, {
      hs_object_id: contactIdOf(index), createdate: stamp, lastmodifieddate: stamp, hs_lastmodifieddate: stamp,
    });
    this.overlay.set(index, { properties, searchView: null, visibleAt: now + this.searchDelayMs, archived: false, added: [] });
    this.latestVisibleAt = Math.max(this.latestVisibleAt, now + this.searchDelayMs);
    if (properties.email) this.trackEmail(index, properties.email);
    return index;
  }

  /** Archives (deletes) a contact; false when it did not exist or was already archived. */
  archive(index: number, now = Date.now()): boolean {
    const record = this.record(index);
    if (!record || record.archived) return false;
    const over = this.ensureOverlay(index, now);
    over.archived = true;
    this.changes++;
    return true;
  }

  /** Seeded and added activities, oldest first for the seeded part. */
  activities(index: number): SeedActivity[] {
    const base = index < this.seeded ? this.seed(index).activities : [];
    const added = this.overlay.get(index)?.added ?? [];
    return added.length > 0 ? [...base, ...added] : base;
  }

  /** Records an added activity; returns its slot (position in {@link activities}). */
  addActivity(index: number, activity: SeedActivity, now = Date.now()): number {
    const over = this.ensureOverlay(index, now);
    over.added.push(activity);
    this.changes++;
    return (index < this.seeded ? this.seed(index).activities.length : 0) + over.added.length - 1;
  }

  /** Bumps `lastmodifieddate` / `hs_lastmodifieddate` as every HubSpot write does. */
  private touch(over: Overlay, now: number): void {
    const stamp = new Date(now).toISOString();
    over.properties.lastmodifieddate = stamp;
    over.properties.hs_lastmodifieddate = stamp;
    over.visibleAt = now + this.searchDelayMs;
    this.latestVisibleAt = Math.max(this.latestVisibleAt, over.visibleAt);
  }

  private ensureOverlay(index: number, now: number): Overlay {
    let over = this.overlay.get(index);
    if (over) {
      // Search keeps showing the last indexed version while a newer one waits for its delay.
      if (now >= over.visibleAt) over.searchView = Object.assign({}, over.properties);
      return over;
    }
    const base = this.seed(index).properties;
    over = { properties: Object.assign({}, base), searchView: base, visibleAt: 0, archived: false, added: [] };
    this.overlay.set(index, over);
    return over;
  }

  private trackEmail(index: number, email: string | null): void {
    if (!email) return;
    const key = email.toLowerCase();
    const owners = this.emailOverrides.get(key) ?? [];
    if (!owners.includes(index)) owners.push(index);
    this.emailOverrides.set(key, owners);
  }
}

