/**
 * CRM engagements (emails, meetings, calls, notes) derived from contact activities. Seeded
 * engagement ids encode (contact index, slot), so a batch read needs no index; notes are
 * the reps' write-ups of connected calls (slot + 32). Engagements added at run time get ids
 * above every seeded one and are remembered in a map.
 */
import { ENGAGEMENT_ID_BASE, ENGAGEMENT_SLOTS, OWNERS, engagementId, type SeedActivity } from '../dataset';
import type { ContactStore } from './contact-store';

export const ENGAGEMENT_TYPES = ['emails', 'meetings', 'calls', 'notes'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

const NOTE_OFFSET = 32;
/** HubSpot's disposition GUID for "Connected". */
export const CALL_CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const CALL_NO_ANSWER = '73a0d17f-1163-4015-bdd5-ec830791da20';

/** Association type ids (HUBSPOT_DEFINED) contact -> object and object -> contact. */
export const ASSOCIATION_TYPE_IDS: Record<EngagementType, { fromContact: number; toContact: number }> = {
  emails: { fromContact: 197, toContact: 198 },
  meetings: { fromContact: 199, toContact: 200 },
  calls: { fromContact: 193, toContact: 194 },
  notes: { fromContact: 201, toContact: 202 },
};

export interface EngagementRef {
  type: EngagementType;
  id: string;
  contact: number;
  slot: number;
  /** For a note: the call it writes up. */
  activity: SeedActivity;
}

export class EngagementDirectory {
  private readonly added = new Map<string, { contact: number; slot: number }>();
  private next: number;

  constructor(private readonly store: ContactStore) {
    // Above every id a seeded contact can have (ids are per index, 64 slots each).
    this.next = ENGAGEMENT_ID_BASE + 2 ** 21 * ENGAGEMENT_SLOTS;
  }

  /** An id for an engagement added at run time, remembered for later reads. */
  allocate(contact: number, slot: number): string {
    const id = String(this.next++);
    this.added.set(id, { contact, slot });
    return id;
  }

  /** The engagement behind `id` when it is of `type` and exists. */
  resolve(type: EngagementType, id: string): EngagementRef | undefined {
    const added = this.added.get(id);
    let contact: number;
    let slot: number;
    if (added) ({ contact, slot } = added);
    else {
      const n = Number(id) - ENGAGEMENT_ID_BASE;
      if (!/^\d+$/.test(id) || n < 0) return undefined;
      contact = Math.floor(n / ENGAGEMENT_SLOTS);
      slot = n % ENGAGEMENT_SLOTS;
      if (contact >= this.store.seeded) return undefined;
    }
    const isNote = !added && slot >= NOTE_OFFSET;
    const activity = this.store.activities(contact)[isNote ? slot - NOTE_OFFSET : slot];
    if (!activity || activity.source.kind !== 'engagement') return undefined;
    if (isNote ? activity.source.objectType !== 'calls' || !hasNote(activity) : activity.source.objectType !== type) return undefined;
    if (isNote && type !== 'notes') return undefined;
    return { type, id, contact, slot, activity };
  }

  /** Ids of `type` associated with contact `index`, in activity order. */
  idsFor(index: number, type: EngagementType): string[] {
    const ids: string[] = [];
    this.store.activities(index).forEach((activity, slot) => {
      if (activity.source.kind !== 'engagement') return;
      if (activity.source.objectType === type) ids.push(activity.source.id);
      if (type === 'notes' && activity.source.objectType === 'calls' && hasNote(activity) && slot < NOTE_OFFSET && index < this.store.seeded) {
        ids.push(engagementId(index, slot + NOTE_OFFSET));
      }
    });
    return ids;
  }

  /** The engagement's properties as `/crm/v3/objects/{type}` returns them. */
  properties(ref: EngagementRef): Record<string, string | null> {
    const record = this.store.record(ref.contact);
    const email = record?.properties.email ?? null;
    const owner = OWNERS[ref.contact % OWNERS.length]!;
    const at = ref.activity.at;
    const common = { hs_object_id: ref.id, hs_timestamp: at, hs_createdate: at, hs_lastmodifieddate: at, hubspot_owner_id: owner.id };
    const topic = ref.activity.category ?? 'your services';
    switch (ref.type) {
      case 'emails':
        return { ...common, hs_email_direction: 'INCOMING_EMAIL', hs_email_subject: ref.activity.title ?? `Re: ${topic}`, hs_email_status: 'SENT',
          hs_email_text: `Thanks for the information. Could you tell us more about ${topic}?`, hs_email_from_email: email, hs_email_to_email: owner.email };
      case 'meetings': {
        const end = new Date(Date.parse(at) + 30 * 60_000).toISOString();
        return { ...common, hs_meeting_title: ref.activity.title ?? 'Intro meeting', hs_meeting_start_time: at, hs_meeting_end_time: end,
          hs_meeting_outcome: Date.parse(at) < Date.now() ? 'COMPLETED' : 'SCHEDULED', hs_meeting_body: `Discuss ${topic}.` };
      }
      case 'calls':
        return { ...common, hs_call_title: ref.activity.title ?? 'Call', hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED',
          hs_call_disposition: hasNote(ref.activity) ? CALL_CONNECTED : CALL_NO_ANSWER, hs_call_duration: hasNote(ref.activity) ? '540000' : '0',
          hs_call_body: hasNote(ref.activity) ? `Spoke about ${topic}.` : 'Left voicemail.' };
      case 'notes':
        return { ...common, hs_note_body: `<p>Call notes: interested in ${topic}; no project start date yet.</p>` };
    }
  }
}

/** Two calls in three were connected (and written up in a note), decided by the seconds digit of the time. */
function hasNote(activity: SeedActivity): boolean {
  return activity.at.charCodeAt(activity.at.length - 6) % 3 !== 0;
}
