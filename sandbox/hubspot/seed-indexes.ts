/**
 * One pass over the seeded contacts at start-up builds everything that cannot be answered
 * from one index alone: per-contact timestamps for search, an e-mail lookup, and the feed
 * indexes. All typed arrays: about 100 bytes per contact, the contacts themselves are
 * regenerated on demand.
 */
import { generateContact, type DatasetOptions, type SeedActivity } from '../dataset';
import { FeedIndex, FeedIndexBuilder } from './feed-index';

/** The feed an activity is listed in, or undefined for CRM engagements (read by association). */
export function feedKeyOf(activity: SeedActivity): string | undefined {
  const s = activity.source;
  switch (s.kind) {
    case 'form': return `form:${s.formGuid}`;
    case 'email_event': return `email:${s.eventType}`;
    case 'web_event': return 'web';
    case 'marketing_event': return `event:${s.externalAccountId}/${s.externalEventId}`;
    default: return undefined;
  }
}

/** 32-bit FNV-1a of a lower-cased e-mail: collisions are resolved by re-reading the contact. */
export function emailHash(email: string): number {
  const text = email.toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SeedIndexes {
  readonly feeds = new Map<string, FeedIndex>();

  constructor(
    readonly lastModified: Float64Array,
    readonly createdAt: Float64Array,
    private readonly emailHashes: Uint32Array,
    private readonly emailOwners: Int32Array,
    feeds: Map<string, FeedIndex>,
  ) {
    for (const [key, feed] of feeds) this.feeds.set(key, feed);
  }

  /** Seeded contact indexes whose e-mail hash matches (callers compare the real address). */
  emailCandidates(email: string): number[] {
    const h = emailHash(email);
    let lo = 0;
    let hi = this.emailHashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.emailHashes[mid] ?? 0) < h) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.emailHashes.length && this.emailHashes[i] === h; i++) out.push(this.emailOwners[i] ?? -1);
    return out.sort((a, b) => a - b);
  }

  /** The feed for `key`, created empty when the seed had none (e.g. a form nobody used). */
  feed(key: string): FeedIndex {
    let feed = this.feeds.get(key);
    if (!feed) this.feeds.set(key, (feed = FeedIndex.empty()));
    return feed;
  }
}

/** Generates every seeded contact once and keeps only what the indexes need. */
export function buildSeedIndexes(dataset: DatasetOptions, count: number): SeedIndexes {
  const lastModified = new Float64Array(count);
  const createdAt = new Float64Array(count);
  const hashes = new Uint32Array(count);
  const hasEmail = new Uint8Array(count);
  const builders = new Map<string, FeedIndexBuilder>();
  for (let index = 0; index < count; index++) {
    const contact = generateContact(dataset, index);
    lastModified[index] = Date.parse(contact.properties.lastmodifieddate ?? '');
    createdAt[index] = Date.parse(contact.properties.createdate ?? '');
    const email = contact.properties.email;
    if (email) {
      hashes[index] = emailHash(email);
      hasEmail[index] = 1;
    }
    contact.activities.forEach((activity, slot) => {
      const key = feedKeyOf(activity);
      if (!key) return;
      let builder = builders.get(key);
      if (!builder) builders.set(key, (builder = new FeedIndexBuilder()));
      builder.add(Date.parse(activity.at), index, slot);
    });
  }
  // Sort (hash, index) pairs by hash for binary search.
  let withEmail = 0;
  for (let i = 0; i < count; i++) withEmail += hasEmail[i] ?? 0;
  const pairs = new Float64Array(withEmail);
  for (let i = 0, j = 0; i < count; i++) if (hasEmail[i]) pairs[j++] = (hashes[i] ?? 0) * 2 ** 21 + i;
  pairs.sort();
  const emailHashes = new Uint32Array(withEmail);
  const emailOwners = new Int32Array(withEmail);
  for (let j = 0; j < withEmail; j++) {
    const pair = pairs[j] ?? 0;
    emailHashes[j] = Math.floor(pair / 2 ** 21);
    emailOwners[j] = pair - (emailHashes[j] ?? 0) * 2 ** 21;
  }
  const feeds = new Map<string, FeedIndex>();
  for (const [key, builder] of builders) feeds.set(key, builder.build());
  return new SeedIndexes(lastModified, createdAt, emailHashes, emailOwners, feeds);
}
