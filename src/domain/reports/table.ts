/** Plain-text tables for reports read at a terminal: first column left-aligned, the rest right. */

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

export const percent = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export const num = (x: number | null): string => (x === null ? '-' : x.toLocaleString('en'));

export function signed(x: number): string {
  return x > 0 ? `+${x.toLocaleString('en')}` : x.toLocaleString('en');
}

export function windowText(window: { since: string | null; until: string | null }): string {
  return `${window.since ?? 'start of history'} .. ${window.until ?? 'now'}`;
}

/** `a 3, b 1` from counts, largest first. */
export function counts(map: Record<string, number>): string {
  const entries = Object.entries(map).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return entries.length ? entries.map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ') : 'none';
}
