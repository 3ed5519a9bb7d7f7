/**
 * Schema of mappings/activities.yaml: which HubSpot forms, pages, marketing events, e-mail
 * events and CRM engagements mean which domain activity types. The HubSpot connector reads
 * it; admins edit it when their portal uses other forms, pages or event apps.
 */
import { z } from 'zod';
import { parseYaml } from '../domain/definition/parse';
import { ACTIVITY_TYPES } from '../domain/types';

const hubspotProperty = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a HubSpot internal property name (lower case, digits, _)');
const activityType = z.enum(ACTIVITY_TYPES);

/** A case-insensitive regular expression, checked when the file is loaded rather than when a page view arrives. */
const pattern = z.string().min(1).refine((text) => {
  try {
    new RegExp(text, 'i');
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

const attendanceMap = z.record(z.string().regex(/^[A-Z_]+$/, 'a HubSpot attendance state like ATTENDED'), activityType);

export const ENGAGEMENT_OBJECT_TYPES = ['emails', 'meetings', 'calls', 'notes'] as const;
export type EngagementObjectType = (typeof ENGAGEMENT_OBJECT_TYPES)[number];

export const activitiesSchema = z.strictObject({
  version: z.literal(1),
  forms: z
    .array(
      z.strictObject({
        guid: z.string().min(1),
        name: z.string().min(1),
        type: activityType,
        title: z.string().min(1).optional(),
        category: z.string().min(1).optional(),
      }),
    )
    .default([]),
  /** `form_submission`: forms not listed count as plain submissions (the form list is then read from HubSpot). */
  unlistedForms: z.enum(['ignore', 'form_submission']).default('ignore'),
  pages: z.strictObject({
    /** Only views of this origin count; empty = any site. */
    site: z.union([z.literal(''), z.string().url()]).default(''),
    ignore: pattern.optional(),
    categories: z.array(z.strictObject({ category: z.string().min(1), urlMatches: pattern })).default([]),
    fallback: z.strictObject({
      lastUrlProperty: hubspotProperty,
      lastTimestampProperty: hubspotProperty,
      countProperty: hubspotProperty,
      /** With it, the other counted views are spread between the first and the last view. */
      firstTimestampProperty: hubspotProperty.optional(),
      /** Most views the fallback produces per contact (the definition caps page-view points anyway). @defaultValue 10 */
      maxViews: z.number().int().min(1).max(100).default(10),
    }),
  }),
  marketingEvents: z.strictObject({
    webinarTypes: z.array(z.string().min(1)).default([]),
    tradeShowTypes: z.array(z.string().min(1)).default([]),
    webinar: attendanceMap.default({}),
    tradeShow: attendanceMap.default({}),
    /** Events of other accounts are ignored; empty = every account. */
    externalAccountIds: z.array(z.string().min(1)).default([]),
  }),
  emailEvents: z.strictObject({
    OPEN: activityType.optional(),
    CLICK: activityType.optional(),
    ignoreOpensWithinSecondsOfSend: z.number().nonnegative().default(0),
  }),
  engagements: z
    .array(
      z.strictObject({
        objectType: z.enum(ENGAGEMENT_OBJECT_TYPES),
        when: z.strictObject({ property: hubspotProperty, equals: z.string() }).optional(),
        type: z.union([activityType, z.literal('ignore')]),
        titleProperty: hubspotProperty.optional(),
        /** @defaultValue hs_timestamp */
        timeProperty: hubspotProperty.optional(),
      }),
    )
    .default([]),
});
export type ActivitiesMapping = z.infer<typeof activitiesSchema>;

/** Parses the file's text; errors name the file, the line, the path inside it and the value. */
export function parseActivitiesMapping(text: string, file: string): ActivitiesMapping {
  return parseYaml(text, file, activitiesSchema).data;
}
