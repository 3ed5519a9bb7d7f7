/**
 * MQL episodes read from a contact's history: an episode starts when a live evaluation leaves
 * the contact at stage `mql` after it was not in one, and collects the sales decisions that
 * follow until the next episode. Entries are read in the order they were appended (the order
 * the service saw things), never re-sorted: a SQL dated by day may carry an earlier instant
 * than the evaluation it followed.
 */
import type { Activity } from '../types';
import { isLiveEvaluation, type HistoryEvent } from './history';

export interface Episode {
  start: string;
  version: string;
  tier: string | null;
  serviceLine: string;
  accepted: boolean;
  sql: boolean;
  /** Sales' closing decision, when there is one. */
  closedBy?: { outcome: 'disqualified' | 'recycled'; reason: string; at: string };
  /** Marketing's definition recycled it (engagement decayed) before sales decided. */
  recycledByMarketing: boolean;
}

const CLOSING_STAGES = new Set(['lead', 'recycled', 'disqualified']);

export function episodesOf(entries: readonly HistoryEvent[]): Episode[] {
  const episodes: Episode[] = [];
  let current: Episode | undefined;
  let closed = true;
  for (const e of entries) {
    if (isLiveEvaluation(e)) {
      if (e.stage === 'mql' && closed) {
        current = { start: e.at, version: e.version, tier: e.tier, serviceLine: e.serviceLine, accepted: false, sql: false, recycledByMarketing: false };
        episodes.push(current);
        closed = false;
      } else if (current && e.stage && CLOSING_STAGES.has(e.stage) && !closed) {
        closed = true;
        // The sales decision that caused this, if any, is the entry right after (same sync).
        if (e.stage === 'recycled' && !current.closedBy) current.recycledByMarketing = true;
      } else if (current && !closed && (e.stage === 'sales_accepted' || e.stage === 'sql' || e.stage === 'opportunity')) {
        current.accepted = true;
        if (e.stage !== 'sales_accepted') current.sql = true;
      }
      continue;
    }
    if (e.kind !== 'outcome' || !current) continue;
    if (e.outcome === 'accepted') current.accepted = true;
    else if (e.outcome === 'sql' || e.outcome === 'opportunity') current.accepted = current.sql = true;
    else {
      current.closedBy = { outcome: e.outcome, reason: e.reason ?? 'No reason given', at: e.at };
      current.recycledByMarketing = false;
      closed = true;
    }
  }
  return episodes;
}

const UTM_CAMPAIGN = /[?&]utm_campaign=([^&#]+)/i;

/** The campaign behind an episode: utm_campaign of the latest tagged activity up to its start. */
export function campaignOf(activities: readonly Activity[], start: string): string | null {
  let best: { at: string; campaign: string } | undefined;
  for (const a of activities) {
    if (!a.url || a.at > start || (best && a.at <= best.at)) continue;
    const match = UTM_CAMPAIGN.exec(a.url);
    if (!match) continue;
    try {
      best = { at: a.at, campaign: decodeURIComponent(match[1]!.replace(/\+/g, ' ')) };
    } catch {
      best = { at: a.at, campaign: match[1]! };
    }
  }
  return best?.campaign ?? null;
}
