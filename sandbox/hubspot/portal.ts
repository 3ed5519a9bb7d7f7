/**
 * The sandbox portal's state and the one place changes happen: API writes, control calls
 * and the activity stream all go through here, so every change dates the contact, updates
 * the feeds and emits the webhooks HubSpot would send.
 */
import { applyActivity, contactIdOf, type DatasetOptions, type SeedActivity } from '../dataset';
import { ContactStore } from './contact-store';
import { EngagementDirectory } from './engagements';
import { PropertyRegistry, normaliseValue } from './property-registry';
import { DEFAULT_SEARCH_LIMITS, SearchEngine, type SearchLimits } from './search';
import { feedKeyOf, type SeedIndexes } from './seed-indexes';
import { WebhookDispatcher, type WebhookOptions } from './webhooks';

/** Properties whose change is bookkeeping, not news: HubSpot sends no propertyChange for them. */
const UNSUBSCRIBABLE = new Set(['lastmodifieddate', 'hs_lastmodifieddate']);

/** Where HubSpot says a summary-property change came from, per activity source. */
const CHANGE_SOURCE: Record<SeedActivity['source']['kind'], string> = {
  web_event: 'ANALYTICS', email_event: 'EMAIL', form: 'FORM', engagement: 'CALCULATED', marketing_event: 'INTEGRATION',
};

export interface PortalOptions {
  dataset: DatasetOptions;
  contacts: number;
  indexes: SeedIndexes;
  withLifecycleProperties: boolean;
  searchDelayMs?: number;
  searchLimits?: Partial<SearchLimits>;
  webhooks?: WebhookOptions;
  /** Properties whose changes are sent as webhooks. @defaultValue every property but the modification dates */
  subscribedProperties?: string[];
}

export class Portal {
  readonly store: ContactStore;
  readonly registry: PropertyRegistry;
  readonly search: SearchEngine;
  readonly engagements: EngagementDirectory;
  readonly webhooks: WebhookDispatcher;
  subscribedProperties: Set<string> | undefined;

  constructor(options: PortalOptions) {
    this.store = new ContactStore(options.dataset, options.contacts, options.indexes, options.searchDelayMs ?? 0);
    this.registry = new PropertyRegistry(options.withLifecycleProperties);
    this.search = new SearchEngine(this.store, this.registry, { ...DEFAULT_SEARCH_LIMITS, ...options.searchLimits });
    this.engagements = new EngagementDirectory(this.store);
    this.webhooks = new WebhookDispatcher(options.webhooks);
    this.subscribedProperties = options.subscribedProperties ? new Set(options.subscribedProperties) : undefined;
  }

  /** Writes validated values; `changeSource` is `API` for writes through the API. */
  writeContact(index: number, raw: Record<string, unknown>, changeSource: string, now = Date.now()): string[] {
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(raw)) values[name] = normaliseValue(this.registry.get(name), value);
    const changed = this.store.write(index, values, now);
    this.announceChanges(index, changed, changeSource, now);
    return changed;
  }

  createContact(raw: Record<string, unknown>, changeSource: string, now = Date.now()): number {
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(raw)) values[name] = normaliseValue(this.registry.get(name), value);
    const index = this.store.create(values, now);
    this.webhooks.emit({ subscriptionType: 'contact.creation', objectId: Number(contactIdOf(index)), changeSource, occurredAt: now });
    return index;
  }

  /** Archives a contact (`contact.deletion`) or erases it for GDPR (`contact.privacyDeletion`). */
  deleteContact(index: number, privacy: boolean, changeSource: string): boolean {
    if (!this.store.archive(index)) return false;
    if (privacy) this.store.write(index, { email: null, firstname: null, lastname: null, phone: null });
    this.webhooks.emit({ subscriptionType: privacy ? 'contact.privacyDeletion' : 'contact.deletion', objectId: Number(contactIdOf(index)), changeSource });
    return true;
  }

  /** Merges `merged` into `primary`: the merged record is archived, one `contact.merge` event. */
  mergeContacts(primary: number, merged: number, changeSource: string): boolean {
    const target = this.store.record(primary);
    const source = this.store.record(merged);
    if (!target || target.archived || !source || source.archived || primary === merged) return false;
    const moved: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(source.properties)) if (value && !target.properties[name]) moved[name] = value;
    delete moved.hs_object_id;
    this.store.write(primary, moved);
    this.store.archive(merged);
    this.webhooks.emit({
      subscriptionType: 'contact.merge', objectId: Number(target.id), changeSource, primaryObjectId: Number(target.id),
      mergedObjectIds: [Number(source.id)], newObjectId: Number(target.id), numberOfPropertiesMoved: Object.keys(moved).length,
    });
    return true;
  }

  /**
   * Adds an activity: listed in its feed, attached to the contact, and folded into the
   * summary properties, which bumps `lastmodifieddate` and sends propertyChange webhooks.
   * Returns the activity as stored (an engagement gets its id here).
   */
  addActivity(index: number, activity: SeedActivity, now = Date.now()): SeedActivity {
    const stored: SeedActivity = activity.source.kind === 'engagement' ? { ...activity, source: { ...activity.source } } : activity;
    const slot = this.store.addActivity(index, stored, now);
    if (stored.source.kind === 'engagement') stored.source.id = this.engagements.allocate(index, slot);
    const key = feedKeyOf(stored);
    if (key) this.store.indexes.feed(key).add({ time: Date.parse(stored.at), contact: index, slot });
    const record = this.store.record(index);
    if (record) {
      const props = Object.assign({}, record.properties);
      const changedNames = applyActivity(props, stored);
      const values = Object.fromEntries(changedNames.map((name) => [name, props[name] ?? null]));
      const changed = this.store.write(index, values, now);
      this.announceChanges(index, changed, CHANGE_SOURCE[stored.source.kind], now);
    }
    return stored;
  }

  private announceChanges(index: number, changed: string[], changeSource: string, now: number): void {
    const record = this.store.record(index);
    if (!record) return;
    for (const name of changed) {
      if (UNSUBSCRIBABLE.has(name) || (this.subscribedProperties && !this.subscribedProperties.has(name))) continue;
      this.webhooks.emit({
        subscriptionType: 'contact.propertyChange', objectId: Number(record.id), propertyName: name,
        propertyValue: record.properties[name] ?? '', changeSource, occurredAt: now,
        ...(changeSource === 'API' ? { sourceId: String(this.webhooks.options.appId) } : {}),
      });
    }
  }
}
