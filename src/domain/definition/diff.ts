/**
 * `definition diff A B`: what changed between two definitions, rule by rule. Rules are
 * matched by their id (fit rules, refinements, exclusions), activity type, tier name or
 * service-line key, so a moved rule is not reported as removed and added.
 */
import type { DefinitionFile } from './schema';

export interface DefinitionChange {
  change: 'added' | 'removed' | 'changed';
  /** e.g. `fit rule seniority`, `engagement type page_view`, `service line cdmo_services: thresholds` */
  item: string;
  /** Field by field, `points 10 -> 15`; for added or removed items, the item itself. */
  details: string[];
}

const show = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function fieldChanges(a: Record<string, unknown>, b: Record<string, unknown>, skip: readonly string[] = []): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.includes(k));
  return keys.filter((k) => !same(a[k], b[k])).map((k) => `${k} ${show(a[k])} -> ${show(b[k])}`);
}

function summary(item: Record<string, unknown>, skip: readonly string[]): string[] {
  return Object.entries(item)
    .filter(([k, v]) => !skip.includes(k) && v !== undefined)
    .map(([k, v]) => `${k} ${show(v)}`);
}

/** Items matched by key: added, removed, changed field by field. */
function keyed<T extends object>(label: string, a: T[] | Record<string, T>, b: T[] | Record<string, T>, keyOf: (item: T, k: string) => string): DefinitionChange[] {
  const index = (items: T[] | Record<string, T>) => new Map(Object.entries(items).map(([k, item]) => [keyOf(item, k), item] as const));
  const before = index(a);
  const after = index(b);
  const out: DefinitionChange[] = [];
  for (const [key, item] of before) {
    const other = after.get(key);
    if (!other) out.push({ change: 'removed', item: `${label} ${key}`, details: summary(item as Record<string, unknown>, ['id', 'name']) });
    else if (!same(item, other)) out.push({ change: 'changed', item: `${label} ${key}`, details: fieldChanges(item as Record<string, unknown>, other as Record<string, unknown>) });
  }
  for (const [key, item] of after) if (!before.has(key)) out.push({ change: 'added', item: `${label} ${key}`, details: summary(item as Record<string, unknown>, ['id', 'name']) });
  return out;
}

function setting(item: string, a: unknown, b: unknown): DefinitionChange[] {
  if (same(a, b)) return [];
  if (a === undefined) return [{ change: 'added', item, details: [show(b)] }];
  if (b === undefined) return [{ change: 'removed', item, details: [show(a)] }];
  const objects = typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b);
  return [{ change: 'changed', item, details: objects ? fieldChanges(a as Record<string, unknown>, b as Record<string, unknown>) : [`${show(a)} -> ${show(b)}`] }];
}

/** Rules whose order decides (first match wins): reported when the common ones changed places. */
function order(item: string, a: string[], b: string[]): DefinitionChange[] {
  const common = (x: string[], y: string[]) => x.filter((k) => y.includes(k));
  const before = common(a, b);
  const after = common(b, a);
  return same(before, after) ? [] : [{ change: 'changed', item, details: [`${before.join(', ')} -> ${after.join(', ')}`] }];
}

const ids = (rules: Array<{ id: string }> | undefined) => (rules ?? []).map((r) => r.id);

type Line = DefinitionFile['serviceLines']['lines'][string];

function lineChanges(key: string, a: Line, b: Line): DefinitionChange[] {
  const label = `service line ${key}:`;
  return [
    ...setting(`${label} label`, a.label, b.label),
    ...setting(`${label} signals`, a.signals, b.signals),
    ...setting(`${label} thresholds`, a.thresholds, b.thresholds),
    ...keyed(`${label} engagement type`, a.engagement?.types ?? {}, b.engagement?.types ?? {}, (_, k) => k),
    ...keyed(`${label} refinement`, a.engagement?.refinements ?? [], b.engagement?.refinements ?? [], (r) => r.id),
    ...order(`${label} refinement order`, ids(a.engagement?.refinements), ids(b.engagement?.refinements)),
    ...keyed(`${label} fit rule`, a.fit?.rules ?? [], b.fit?.rules ?? [], (r) => r.id),
    ...setting(`${label} discovery topics`, a.discoveryTopics, b.discoveryTopics),
  ];
}

export function diffDefinitions(a: DefinitionFile, b: DefinitionFile): DefinitionChange[] {
  const lines: DefinitionChange[] = [];
  const la = a.serviceLines.lines;
  const lb = b.serviceLines.lines;
  for (const key of Object.keys(la)) {
    if (!lb[key]) lines.push({ change: 'removed', item: `service line ${key}`, details: [`label ${show(la[key]!.label)}`] });
    else lines.push(...lineChanges(key, la[key]!, lb[key]!));
  }
  for (const key of Object.keys(lb)) if (!la[key]) lines.push({ change: 'added', item: `service line ${key}`, details: summary(lb[key]! as Record<string, unknown>, []) });
  const tierOrder = (d: DefinitionFile) => d.tiers.map((t) => t.name);
  return [
    ...setting('version', a.version, b.version),
    ...setting('look-back days', a.lookbackDays, b.lookbackDays),
    ...setting('MQL thresholds', a.thresholds, b.thresholds),
    ...setting('engagement half-life days', a.engagement.halfLifeDays, b.engagement.halfLifeDays),
    ...keyed('fit rule', a.fit.rules, b.fit.rules, (r) => r.id),
    ...keyed('engagement type', a.engagement.types, b.engagement.types, (_, k) => k),
    ...keyed('refinement', a.engagement.refinements, b.engagement.refinements, (r) => r.id),
    ...order('refinement order', ids(a.engagement.refinements), ids(b.engagement.refinements)),
    ...keyed('exclusion', a.exclusions, b.exclusions, (r) => r.id),
    ...setting('high intent', a.highIntent, b.highIntent),
    ...setting('hysteresis', a.hysteresis, b.hysteresis),
    ...keyed('tier', a.tiers, b.tiers, (t) => t.name),
    ...order('tier order', tierOrder(a), tierOrder(b)),
    ...setting('default service line', a.serviceLines.default, b.serviceLines.default),
    ...lines,
    ...setting('discovery topics', a.discoveryTopics, b.discoveryTopics),
    ...setting('description', a.description, b.description),
  ];
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

export function formatDiff(a: DefinitionFile, b: DefinitionFile, changes: DefinitionChange[]): string {
  if (changes.length === 0) return `${a.version} and ${b.version}: no rule changed\n`;
  const out = [`${a.version} -> ${b.version}: ${changes.length} change(s)`];
  for (const c of changes) {
    out.push(`${SIGN[c.change]} ${c.item}${c.details.length === 1 ? `: ${c.details[0]}` : ''}`);
    if (c.details.length > 1) for (const d of c.details) out.push(`    ${d}`);
  }
  return `${out.join('\n')}\n`;
}
