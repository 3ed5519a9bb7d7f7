/** Tokens of the SOQL subset. Keywords are identifiers compared case-insensitively. */
import { parseDate, parseDateTime } from '../datetime';
import { SoqlError } from './errors';

export type Token =
  | { type: 'ident'; text: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number }
  | { type: 'datetime'; value: number; text: string; pos: number }
  | { type: 'date'; value: string; pos: number }
  | { type: 'punct'; text: string; pos: number }
  | { type: 'eof'; pos: number };

const DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2}))?/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*/;
const PUNCT = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', ':'];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = soql.slice(i, i + 64);
    if (c === "'") {
      const { value, end } = readString(soql, i);
      tokens.push({ type: 'string', value, pos: i });
      i = end;
      continue;
    }
    const dt = /\d/.test(c) ? DATE_OR_DATETIME.exec(rest) : null;
    if (dt) {
      const text = dt[0];
      if (dt[1]) {
        const value = parseDateTime(text);
        if (value === undefined) throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${text}'`, i);
        tokens.push({ type: 'datetime', value, text, pos: i });
      } else {
        const value = parseDate(text);
        if (value === undefined) throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${text}'`, i);
        tokens.push({ type: 'date', value, pos: i });
      }
      i += text.length;
      continue;
    }
    const num = /[-\d]/.test(c) ? NUMBER.exec(rest) : null;
    if (num) {
      tokens.push({ type: 'number', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(soql.slice(i, i + 512));
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => soql.startsWith(p, i));
    if (!punct) throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${c}'`, i);
    tokens.push({ type: 'punct', text: punct === '<>' ? '!=' : punct, pos: i });
    i += punct.length;
  }
  tokens.push({ type: 'eof', pos: soql.length });
  return tokens;
}

/** Reads a quoted literal starting at `start`; `\%` and `\_` stay escaped for LIKE. */
function readString(soql: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\') {
      const next = soql[i + 1];
      if (next === undefined) break;
      if (next === '%' || next === '_') value += `\\${next}`;
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(soql.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(soql.slice(i + 2, i + 6), 16));
        i += 4;
      } else if (ESCAPES[next] !== undefined) value += ESCAPES[next];
      else throw new SoqlError('MALFORMED_QUERY', `Invalid string literal '${soql.slice(start, i + 2)}'. Illegal escape sequence '\\${next}'`, i);
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new SoqlError('MALFORMED_QUERY', `line 1:${start} mismatched character '<EOF>' expecting '''`, start);
}
