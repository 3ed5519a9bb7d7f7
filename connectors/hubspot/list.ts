/** Full listing for backfills (streamed, 100 per page) and batch reads by id or by e-mail (100 per call). */
import type { HubSpotContactRecord } from '../ports';
import type { ConnectorContext } from './context';
import { chunks } from './chunks';
import { toRecord } from './normalise';

const PAGE = 100;

/** Every contact, one page at a time: only the current page is held in memory. */
export async function* listContacts(ctx: ConnectorContext, after?: string): AsyncGenerator<{ records: HubSpotContactRecord[]; after: string | undefined }> {
  let cursor = after;
  do {
    const page = await ctx.requester.call('GET /crm/v3/objects/contacts', () => ctx.apis.contactsBasic.getPage(PAGE, cursor, ctx.contactProperties, undefined, undefined, false));
    cursor = page.paging?.next?.after;
    yield { records: page.results.map(toRecord), after: cursor };
  } while (cursor);
}

/** Contacts by id; ids that do not exist (HubSpot answers 207 with them as errors) are absent. */
export async function readContacts(ctx: ConnectorContext, ids: string[]): Promise<HubSpotContactRecord[]> {
  const out: HubSpotContactRecord[] = [];
  for (const batch of chunks([...new Set(ids)], PAGE)) {
    const response = await ctx.requester.call('POST /crm/v3/objects/contacts/batch/read', () =>
      ctx.apis.contactsBatch.read({ inputs: batch.map((id) => ({ id })), properties: ctx.contactProperties, propertiesWithHistory: [] }, false),
    );
    out.push(...response.results.map(toRecord));
  }
  return out;
}

/**
 * Contacts by e-mail address: the batch read with `idProperty=email` (100 per call), so an
 * admin can find a contact's id from the address. Addresses HubSpot does not know are absent.
 */
export async function readContactsByEmail(ctx: ConnectorContext, emails: string[]): Promise<HubSpotContactRecord[]> {
  const out: HubSpotContactRecord[] = [];
  // HubSpot matches addresses case-insensitively; asking for one twice is a wasted input.
  const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  for (const batch of chunks(unique, PAGE)) {
    const response = await ctx.requester.call('POST /crm/v3/objects/contacts/batch/read', () =>
      ctx.apis.contactsBatch.read({ inputs: batch.map((id) => ({ id })), idProperty: 'email', properties: ctx.contactProperties, propertiesWithHistory: [] }, false),
    );
    out.push(...response.results.map(toRecord));
  }
  return out;
}
