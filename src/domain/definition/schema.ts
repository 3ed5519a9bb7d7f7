/**
 * The MQL definition file format (mappings/mql-definition.yaml), as a zod schema.
 * Strict objects everywhere: a misspelt key is an error, not a silently ignored rule.
 */
import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType } from '../types';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case id (letters, digits, _ . -)');
const pattern = z.string().min(1).describe('a regular expression, matched case-insensitively');
const activityType = z.enum(ACTIVITY_TYPES);

/** Keys must be activity types; unknown keys name the allowed ones. */
function activityTypeRecord<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!(ACTIVITY_TYPES as readonly string[]).includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: key,
          message: `unknown activity type; expected one of ${ACTIVITY_TYPES.join(', ')}`,
        });
      }
    }
  }) as unknown as z.ZodType<Partial<Record<ActivityType, z.infer<T>>>>;
}

/** Contact fields a condition may name; anything else is read from raw HubSpot properties via `property`. */
export const CONTACT_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'jobTitle',
  'jobFunction',
  'company',
  'organizationType',
  'employees',
  'country',
  'serviceLine',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A test on one contact field. Exactly one of the operators is expected. */
const fieldTest = z
  .strictObject({
    field: z.enum(CONTACT_FIELDS).optional(),
    property: z.string().min(1).optional(),
    equals: scalar.optional(),
    in: z.array(scalar).min(1).optional(),
    notIn: z.array(scalar).min(1).optional(),
    matches: pattern.optional(),
    emailDomainIn: z.array(z.string().min(3)).min(1).optional(),
    exists: z.boolean().optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.field === undefined) === (t.property === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'name exactly one of `field` or `property`', input: t });
    }
    const ops = ['equals', 'in', 'notIn', 'matches', 'emailDomainIn', 'exists', 'gte', 'lte'] as const;
    if (!ops.some((op) => t[op] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `give an operator: one of ${ops.join(', ')}`, input: t });
    }
  });

export type FieldTest = z.infer<typeof fieldTest>;
export type Condition = FieldTest | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
    fieldTest,
  ]),
);

/** Which activities a rule applies to; all given tests must hold. */
const activityMatch = z.strictObject({
  type: z.union([activityType, z.array(activityType).min(1)]).optional(),
  urlMatches: pattern.optional(),
  titleMatches: pattern.optional(),
  formIdIn: z.array(z.string().min(1)).min(1).optional(),
  category: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
});
export type ActivityMatch = z.infer<typeof activityMatch>;

const fitRule = z.strictObject({
  id,
  when: condition,
  points: z.number(),
  /** Sentence for the salesperson; `{value}` is replaced by the field's value. */
  reason: z.string().min(1),
});
export type FitRule = z.infer<typeof fitRule>;

const typeScore = z.strictObject({
  points: z.number(),
  /** Upper bound of the decayed points this type can add in total. */
  cap: z.number().positive().optional(),
  label: z.string().min(1).optional(),
});

const refinement = z.strictObject({
  id,
  when: activityMatch,
  /** Points per matching activity, replacing the type's base points. */
  points: z.number(),
  cap: z.number().positive().optional(),
  label: z.string().min(1),
});
export type Refinement = z.infer<typeof refinement>;

const thresholds = z.strictObject({
  fit: z.number(),
  engagement: z.number(),
});

const hysteresis = z.strictObject({
  /** An MQL stays an MQL until engagement falls below this (lower than the entry threshold). */
  exitEngagement: z.number(),
  /** ...and fit below this. */
  exitFit: z.number().optional(),
  /** Minimum days an MQL keeps its status before decay can recycle it. */
  minDaysInMql: z.number().int().min(0),
});

const tier = z.strictObject({
  name: z.string().min(1).max(8),
  minTotal: z.number().optional(),
  minFit: z.number().optional(),
  minEngagement: z.number().optional(),
  /** Salesforce Task priority for this tier. */
  priority: z.enum(['High', 'Normal', 'Low']),
});

const exclusion = z.strictObject({ id, when: condition, reason: z.string().min(1) });

const highIntent = z.strictObject({
  /** Any of these activities within `withinDays` makes the contact an MQL candidate despite poor fit. */
  types: z.array(activityType).min(1),
  withinDays: z.number().positive(),
  /** `mql`: qualify (lowest tier); `needs_review`: flag for a person to decide. */
  status: z.enum(['mql', 'needs_review']),
  reason: z.string().min(1),
});

const serviceLineOverride = z.strictObject({
  label: z.string().min(1),
  /** Signals in activities that point to this offer. */
  signals: activityMatch.optional(),
  thresholds: thresholds.partial().optional(),
  engagement: z
    .strictObject({ types: activityTypeRecord(typeScore).optional(), refinements: z.array(refinement).optional() })
    .optional(),
  fit: z.strictObject({ rules: z.array(fitRule).min(1) }).optional(),
  /** Suggested discovery topics for the follow-up task. */
  discoveryTopics: z.array(z.string().min(1)).optional(),
});

export const definitionSchema = z.strictObject({
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a version label of at most 40 characters (letters, digits, . _ -)'),
  description: z.string().optional(),
  /** Activities older than this are ignored entirely. */
  lookbackDays: z.number().positive(),
  fit: z.strictObject({ rules: z.array(fitRule).min(1) }),
  engagement: z.strictObject({
    halfLifeDays: z.number().positive(),
    types: activityTypeRecord(typeScore),
    refinements: z.array(refinement).default([]),
  }),
  exclusions: z.array(exclusion).default([]),
  highIntent: highIntent.optional(),
  thresholds,
  hysteresis,
  tiers: z.array(tier).min(1),
  serviceLines: z.strictObject({
    default: z.string().min(1),
    lines: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), serviceLineOverride),
  }),
  discoveryTopics: z.array(z.string().min(1)).default([]),
});

export type DefinitionFile = z.infer<typeof definitionSchema>;
