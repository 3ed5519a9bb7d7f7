/** Picklist values of the simulated org (see docs/DATA-MODEL.md). */

export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Sales Accepted',
  'Sales Qualified',
  'Disqualified',
  'Recycled',
  'Closed - Converted',
] as const;

/** Contact's sales-owned stage; the Lead equivalents without conversion, plus Opportunity. */
export const CONTACT_LIFECYCLE_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Sales Accepted',
  'Sales Qualified',
  'Opportunity',
  'Disqualified',
  'Recycled',
] as const;

export const DISQUALIFICATION_REASONS = [
  'No active project',
  'Timeline mismatch / too early',
  'Missing scope details',
  'Wrong department or site',
  'No budget',
  'No authority / wrong contact',
  'Modality or stage mismatch',
  'Duplicate',
  'Competitor',
  'Student/academic, no purchasing path',
  'Unresponsive',
] as const;

export const RECYCLE_REASONS = [
  'Timing - revisit next quarter',
  'Budget expected next fiscal year',
  'Early research - nurture',
  'Project on hold',
  'No response after sequence',
] as const;

export const LEAD_SOURCES = ['Web', 'HubSpot', 'Webinar', 'Trade Show', 'Partner Referral', 'Purchased List', 'Other'] as const;
export const MQL_TIERS = ['A', 'B', 'C'] as const;
export const SERVICE_LINES = ['cdmo_services', 'genomics_platform', 'medical_devices', 'general'] as const;
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed'] as const;
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const TASK_TYPES = ['Call', 'Email', 'Meeting', 'Other'] as const;
export const GROUP_TYPES = ['Queue', 'Regular'] as const;
