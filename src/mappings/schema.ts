/** Schemas of the mappings files admins own (fields, reasons, routing). */
import { z } from 'zod';
import { CONTACT_FIELDS } from '../domain/definition/schema';
import { SALES_OUTCOMES } from '../domain/types';

const hubspotProperty = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a HubSpot internal property name (lower case, digits, _)');
const sfField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Salesforce field API name');
const sfId = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'a 15- or 18-character Salesforce id');

export const LIFECYCLE_KEYS = [
  'stage', 'stageDate', 'score', 'fitScore', 'engagementScore', 'tier', 'reasons', 'definitionVersion',
  'serviceLine', 'mqlDate', 'salesOutcome', 'salesOutcomeDate', 'sqlDate', 'outcomeReason', 'salesforceId',
] as const;
export const PUSH_KEYS = ['mql', 'score', 'fitScore', 'engagementScore', 'tier', 'reasons', 'definitionVersion', 'mqlDate', 'serviceLine'] as const;
export const PULL_KEYS = ['status', 'disqualificationReason', 'recycleReason', 'sqlDate'] as const;

const strictRecord = <K extends readonly [string, ...string[]], V extends z.ZodType>(keys: K, value: V) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as { [P in K[number]]: V });

const leadField = z.union([
  z.strictObject({
    from: z.enum(CONTACT_FIELDS),
    default: z.string().optional(),
    /** The Salesforce field's length: longer values are cut (text) or left out (`omit`, e.g. an e-mail). */
    maxLength: z.number().int().positive().optional(),
    whenTooLong: z.enum(['truncate', 'omit']).default('truncate'),
  }),
  z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
]);

export const fieldsSchema = z.strictObject({
  version: z.literal(1),
  hubspot: z.strictObject({
    contact: strictRecord(CONTACT_FIELDS as unknown as readonly [string, ...string[]], hubspotProperty).partial().required({ email: true }),
    extraProperties: z.array(hubspotProperty).default([]),
    lifecycle: z.strictObject({
      group: hubspotProperty,
      groupLabel: z.string().min(1),
      properties: strictRecord(LIFECYCLE_KEYS, hubspotProperty),
    }),
  }),
  salesforce: z.strictObject({
    externalIdField: sfField,
    taskKeyField: sfField,
    push: strictRecord(PUSH_KEYS, sfField),
    pull: z.strictObject({
      Lead: strictRecord(PULL_KEYS, sfField),
      Contact: strictRecord(PULL_KEYS, sfField),
    }),
    createLeads: z.strictObject({
      when: z.enum(['mql', 'never']),
      fields: z.record(sfField, leadField),
    }),
  }),
});
export type FieldsMapping = z.infer<typeof fieldsSchema>;

export const reasonsSchema = z.strictObject({
  version: z.literal(1),
  statuses: z.record(z.string().min(1), z.enum(SALES_OUTCOMES)),
  disqualificationReasons: z.record(z.string().min(1), z.string().min(1)),
  recycleReasons: z.record(z.string().min(1), z.string().min(1)),
  unmappedReasonPrefix: z.string().default('Other: '),
});
export type ReasonsMapping = z.infer<typeof reasonsSchema>;

const slaHours = z.strictObject({}).catchall(z.number().positive());

/** What to do when a follow-up task is still untouched at its SLA deadline (nothing when absent). */
const escalation = z.strictObject({
  /** Raise the task's priority to this. */
  priority: z.enum(['High', 'Normal', 'Low']).optional(),
  /** Re-assign the task to this User (Salesforce does not let queues own tasks). */
  reassignTo: sfId.optional(),
});
export type Escalation = z.infer<typeof escalation>;

export const routingSchema = z.strictObject({
  version: z.literal(1),
  defaults: z.strictObject({ taskOwnerId: sfId, leadOwnerId: sfId, slaHours, escalation: escalation.optional() }),
  rules: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        when: z.strictObject({
          serviceLine: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
          countryIn: z.array(z.string()).min(1).optional(),
          tier: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
        }),
        taskOwnerId: sfId.optional(),
        leadOwnerId: sfId.optional(),
        slaHours: slaHours.optional(),
        escalation: escalation.optional(),
      }),
    )
    .default([]),
});
export type RoutingMapping = z.infer<typeof routingSchema>;
