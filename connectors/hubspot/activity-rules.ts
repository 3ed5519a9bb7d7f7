/**
 * mappings/activities.yaml compiled once: what a form, a page, a marketing-event state, an
 * e-mail event or a CRM engagement means in domain terms. Pure.
 */
import type { ActivityType } from '../../src/domain/types';
import type { ActivitiesMapping, EngagementObjectType } from '../../src/mappings/activities';
import { toIso } from './time';

export interface FormMeaning {
  type: ActivityType;
  title?: string;
  category?: string;
}

export interface EngagementMeaning {
  type: ActivityType;
  title?: string;
  /** ISO instant. */
  at: string;
}

export class ActivityRules {
  private readonly forms: Map<string, FormMeaning>;
  private readonly ignorePage: RegExp | undefined;
  private readonly pageCategories: Array<{ category: string; pattern: RegExp }>;
  private readonly site: string;

  constructor(readonly mapping: ActivitiesMapping) {
    this.forms = new Map(mapping.forms.map((f) => [f.guid.toLowerCase(), { type: f.type, ...(f.title ? { title: f.title } : {}), ...(f.category ? { category: f.category } : {}) }]));
    this.ignorePage = mapping.pages.ignore ? new RegExp(mapping.pages.ignore, 'i') : undefined;
    this.pageCategories = mapping.pages.categories.map((c) => ({ category: c.category, pattern: new RegExp(c.urlMatches, 'i') }));
    this.site = mapping.pages.site.replace(/\/+$/, '').toLowerCase();
  }

  /** Forms whose submissions are pulled (unlisted ones too when {@link readsUnlistedForms}). */
  get listedForms(): string[] {
    return this.mapping.forms.map((f) => f.guid);
  }

  get readsUnlistedForms(): boolean {
    return this.mapping.unlistedForms === 'form_submission';
  }

  form(guid: string): FormMeaning | undefined {
    return this.forms.get(guid.toLowerCase()) ?? (this.readsUnlistedForms ? { type: 'form_submission' } : undefined);
  }

  /** The page's category, or undefined when the view does not count (other site, ignored path, bad URL). */
  pageCategory(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (this.site && `${parsed.protocol}//${parsed.host}`.toLowerCase() !== this.site) return undefined;
    const pathAndQuery = `${parsed.pathname}${parsed.search}`;
    if (this.ignorePage?.test(pathAndQuery)) return undefined;
    return this.pageCategories.find((c) => c.pattern.test(pathAndQuery))?.category ?? 'general';
  }

  /** The activity type of a participation, by the event's HubSpot type and the attendance state. */
  marketingEvent(eventType: string, state: string): ActivityType | undefined {
    const events = this.mapping.marketingEvents;
    if (events.webinarTypes.includes(eventType)) return events.webinar[state];
    if (events.tradeShowTypes.includes(eventType)) return events.tradeShow[state];
    return undefined;
  }

  /** Whether events of this account and type can produce activities (others are not read at all). */
  readsMarketingEvent(externalAccountId: string, eventType: string): boolean {
    const events = this.mapping.marketingEvents;
    const accountOk = events.externalAccountIds.length === 0 || events.externalAccountIds.includes(externalAccountId);
    return accountOk && (events.webinarTypes.includes(eventType) || events.tradeShowTypes.includes(eventType));
  }

  emailEvent(eventType: 'OPEN' | 'CLICK'): ActivityType | undefined {
    return this.mapping.emailEvents[eventType];
  }

  get emailEventTypes(): Array<'OPEN' | 'CLICK'> {
    return (['OPEN', 'CLICK'] as const).filter((t) => this.mapping.emailEvents[t] !== undefined);
  }

  /** Engagement object types some rule turns into activities; the others are never read. */
  get engagementTypes(): EngagementObjectType[] {
    return [...new Set(this.mapping.engagements.filter((r) => r.type !== 'ignore').map((r) => r.objectType))];
  }

  /** Properties to read for an engagement type: the rules' conditions, titles and times. */
  engagementProperties(objectType: EngagementObjectType): string[] {
    const names = new Set(['hs_timestamp']);
    for (const rule of this.mapping.engagements) {
      if (rule.objectType !== objectType) continue;
      if (rule.when) names.add(rule.when.property);
      if (rule.titleProperty) names.add(rule.titleProperty);
      if (rule.timeProperty) names.add(rule.timeProperty);
    }
    return [...names];
  }

  /** First matching rule wins; `ignore` or no rule: not an activity. */
  engagement(objectType: EngagementObjectType, props: Record<string, string | null | undefined>): EngagementMeaning | undefined {
    const rule = this.mapping.engagements.find((r) => r.objectType === objectType && (!r.when || props[r.when.property] === r.when.equals));
    if (!rule || rule.type === 'ignore') return undefined;
    const at = toIso(props[rule.timeProperty ?? 'hs_timestamp']) ?? toIso(props.hs_timestamp);
    if (!at) return undefined;
    const title = rule.titleProperty ? props[rule.titleProperty] : undefined;
    return { type: rule.type, at, ...(title ? { title } : {}) };
  }
}
