/**
 * Comparing what a system holds with what the service wants, per value kind, so a value that
 * only looks different (`55.2` vs 55.2, an ISO date vs epoch ms, `+0000` vs `Z`) is not
 * written again. This is what makes a second run over unchanged data write nothing.
 */
import { salesforceInstant } from './outcomes';

export type ValueKind = 'text' | 'number' | 'datetime' | 'boolean';

export const NUMBER_TOLERANCE = 0.5;

function empty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function asMs(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const iso = salesforceInstant(v);
  return iso === null ? null : Date.parse(iso);
}

export function sameValue(kind: ValueKind, current: unknown, desired: unknown): boolean {
  if (empty(current) || empty(desired)) return empty(current) && empty(desired) || (kind === 'boolean' && !current && !desired);
  switch (kind) {
    case 'number':
      // Scores move a little every day as engagement decays: they are refreshed when they
      // move by half a point or more, not rewritten on every sync.
      return Math.abs(Number(current) - Number(desired)) < NUMBER_TOLERANCE;
    case 'datetime':
      return asMs(current) === asMs(desired);
    case 'boolean':
      return (current === true || current === 'true') === (desired === true || desired === 'true');
    default:
      return String(current).replace(/\r\n/g, '\n') === String(desired);
  }
}

/** Only the entries of `desired` that differ from `current`. */
export function diff<T>(kinds: Record<string, ValueKind>, current: Record<string, unknown>, desired: Record<string, T>): Record<string, T> {
  const changed: Record<string, T> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (!sameValue(kinds[key] ?? 'text', current[key], value)) changed[key] = value;
  }
  return changed;
}

/** Cuts text to a field's length on a line boundary where possible, marking the cut. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max - 2);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}
