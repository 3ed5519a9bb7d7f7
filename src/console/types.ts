/**
 * The admin API's answers, as far as the console reads them. Declared here rather than
 * imported from the server code, which is Node-only; the browser tests check the pages
 * against the real API, so a field renamed there shows up as a failing console test.
 */

export type Counts = Record<string, number>;

export interface RunRecord {
  id: string;
  trigger: string;
  kind: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: Counts;
  error?: string;
}

export type QueueName = 'sync' | 'outcomes' | 'control';

export interface Status {
  definitionVersion: string;
  queues: Record<QueueName, Counts>;
  lagSeconds: { hubspot: number | null; salesforce: number | null };
  lastRuns: Record<string, RunRecord>;
  failures: number;
}

export interface UsagePoint {
  at: string;
  calls: number;
}

export interface ApiUsage {
  bucketMinutes: number;
  hubspot: { window: string; used: number; limit: number; left: number; series: UsagePoint[] };
  salesforce: {
    window: string;
    used: number;
    limit: number | null;
    left: number | null;
    org: { max: number; remaining: number; share: number; checkedAt: string } | null;
    orgError?: string;
    series: UsagePoint[];
  };
}

export interface FailureRecord {
  id: string;
  system: 'hubspot' | 'salesforce';
  hubspotId: string;
  code: string;
  message: string;
  retryable: boolean;
  firstSeen: string;
  lastSeen: string;
  attempts: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  name: string;
  reason: string;
  attempts: number;
  failedAt: string | null;
  contacts?: number;
}

export interface Failures {
  records: FailureRecord[];
  jobs: FailedJob[];
}

export interface ConsoleMeta {
  liveVersion: string;
  serviceLines: string[];
  tiers: string[];
}

export interface BackfillParams {
  since?: string;
  until?: string;
  ids?: string[];
  serviceLine?: string;
  dryRun?: boolean;
}

export interface Backfill {
  id: string;
  params: BackfillParams;
  status: 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';
  createdAt: string;
  finishedAt?: string;
  total: number;
  enqueueDone: boolean;
  chunks: number;
  done: number;
  failed: number;
  counts: Counts;
  errors: Counts;
  ratePerSecond: number;
  etaSeconds: number | null;
  plannedWrites?: number;
}

export interface PlannedWrite {
  hubspotId: string;
  stage: { from: string; to: string };
  hubspot: Record<string, string>;
  salesforce: { update?: string[]; createLead?: boolean; task?: string };
  notes: string[];
}

export interface FunnelRow {
  key: string;
  mqls: number;
  sal: number;
  sql: number;
  disqualified: number;
  recycled: number;
  open: number;
  mqlToSal: number | null;
  salToSql: number | null;
  mqlToSql: number | null;
  disqualificationReasons: Counts;
  recycleReasons: Counts;
  versions: Counts;
}

export interface HandoffGroup {
  key: string;
  episodes: number;
  touched: number;
  breached: number;
  overdue: number;
  escalated: number;
  breachRate: number | null;
  hoursToFirstTouch: { median: number | null; p90: number | null; mean: number | null };
}

export interface Dashboard {
  window: { since: string | null; until: string | null };
  version: string | null;
  weekly: { weeks: string[]; byTier: Record<string, Counts>; byServiceLine: Record<string, Counts>; total: Counts; versions: Counts };
  funnel: { total: FunnelRow; byServiceLine: FunnelRow[]; byTier: FunnelRow[]; bySource: FunnelRow[] };
  handoff: { total: HandoffGroup; byTier: HandoffGroup[]; byServiceLine: HandoffGroup[]; mixedVersions: boolean };
  contacts: number;
}

export interface Reason {
  rule: string;
  points: number;
  detail: string;
}

export interface Explanation {
  contact: { id: string; name: string; company: string | null; jobTitle: string | null; serviceLine: string | null };
  evaluation: {
    status: string;
    score: { fit: number; engagement: number; total: number };
    tier: string | null;
    priority: string | null;
    serviceLine: string;
    serviceLineLabel: string;
    reasons: Reason[];
    evidence: Array<{ type: string; at: string; title?: string; points: number }>;
    lastEngagementAt: string | null;
    definitionVersion: string;
  };
  lifecycle: { current: string; next: string; transitions: Array<{ actor: string; to: string; reason?: string }>; mqlDate: string | null; notes: string[] };
  salesforce: { via: string; record: { sobject: string; id: string } | null; ambiguous: string[] };
  activities: number;
  wouldWrite: { hubspot: Record<string, string>; salesforce: { update?: string[]; createLead?: boolean; task?: string } };
}

export type HistoryEntry =
  | { kind: 'evaluation'; at: string; version: string; shadow?: true; status: string; stage?: string; fit: number; engagement: number; total: number; tier: string | null; serviceLine: string }
  | { kind: 'outcome'; at: string; outcome: string; reason?: string }
  | { kind: 'task'; at: string; event: string; key: string; dueAt?: string; via?: string };

export interface DefinitionListing {
  version: string;
  uploadedAt: string;
  uploadedBy: string;
  live: boolean;
  shadow: { from: string; until: string | null; by: string } | null;
}

export interface DefinitionChange {
  change: 'added' | 'removed' | 'changed';
  item: string;
  details: string[];
}

export interface DefinitionStats {
  version: string;
  mqls: number;
  perWeek: Counts;
  perTier: Counts;
  perServiceLine: Counts;
  outcomes: { judged: number; accepted: number; sql: number; disqualified: number; recycled: number; precision: number | null; acceptance: number | null };
  recall: { sqls: number; caught: number; missed: number; recall: number | null };
}

export interface Verdict {
  status: string;
  fit: number;
  engagement: number;
  total: number;
  tier: string | null;
  serviceLine: string;
}

export interface Flip {
  id: string;
  direction: 'gained' | 'lost';
  at: string;
  current: Verdict;
  candidate: Verdict;
  salesResult: string;
  detail?: {
    reasons: Array<{ rule: string; current: number | null; candidate: number | null }>;
    thresholds: { current: { fit: number; engagement: number }; candidate: { fit: number; engagement: number } };
  };
}

export interface BacktestRun {
  id: string;
  status: 'running' | 'done' | 'failed';
  current: string;
  candidate: string;
  contacts: number;
  durationMs?: number;
  error?: string;
  result?: {
    contacts: number;
    evaluations: number;
    skippedNoInputs: number;
    current: DefinitionStats;
    candidate: DefinitionStats;
    flips: { gained: number; lost: number; listed: Flip[]; truncated: boolean };
  };
}
