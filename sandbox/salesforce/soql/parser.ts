/**
 * Recursive-descent parser for the SOQL subset:
 * `SELECT f1, f2 | COUNT() | COUNT(f) FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC]
 * [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]`. Conditions combine comparisons,
 * `IN (...)`, `NOT IN (...)` and `LIKE` with AND, OR, NOT and parentheses; like Salesforce,
 * AND and OR may not be mixed at one level without parentheses.
 */
import type { ComparisonOp, Condition, Ident, Literal, OrderItem, SelectItem, SelectQuery } from './ast';
import { SoqlError } from './errors';
import { tokenize, type Token } from './lexer';

/** Salesforce refuses statements longer than this. */
export const MAX_SOQL_LENGTH = 100_000;

const CLAUSE_WORDS = new Set(['select', 'from', 'where', 'order', 'by', 'limit', 'offset', 'and', 'or', 'not', 'in', 'like', 'asc', 'desc', 'nulls', 'group', 'having']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

export function parseSoql(soql: string): SelectQuery {
  if (soql.length > MAX_SOQL_LENGTH) {
    throw new SoqlError('MALFORMED_QUERY', `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH.toLocaleString('en-US')} characters`);
  }
  return new Parser(tokenize(soql)).query();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): SelectQuery {
    this.keyword('select');
    const select = this.selectList();
    this.keyword('from');
    const from = this.ident();
    const query: SelectQuery = { select, from, orderBy: [] };
    if (this.acceptKeyword('where')) query.where = this.condition();
    if (this.acceptKeyword('order')) {
      this.keyword('by');
      query.orderBy = this.list(() => this.orderItem());
    }
    if (this.acceptKeyword('limit')) query.limit = this.nonNegativeInt();
    if (this.acceptKeyword('offset')) query.offset = this.nonNegativeInt();
    const end = this.peek();
    if (end.type !== 'eof') this.unexpected(end);
    return query;
  }

  private selectList(): SelectItem[] {
    const first = this.peek();
    if (first.type === 'ident' && first.text.toLowerCase() === 'count' && this.peek(1).type === 'punct') {
      this.next();
      this.punct('(');
      const field = this.peekPunct(')') ? undefined : this.ident();
      this.punct(')');
      return [{ kind: 'count', field, pos: first.pos }];
    }
    return this.list(() => ({ kind: 'field', field: this.ident() }));
  }

  private orderItem(): OrderItem {
    const item: OrderItem = { field: this.ident(), descending: false };
    if (this.acceptKeyword('desc')) item.descending = true;
    else this.acceptKeyword('asc');
    if (this.acceptKeyword('nulls')) {
      if (this.acceptKeyword('first')) item.nullsFirst = true;
      else {
        this.keyword('last');
        item.nullsFirst = false;
      }
    }
    return item;
  }

  /** One level of AND or OR (not both), each operand unary. */
  private condition(): Condition {
    const first = this.unary();
    const connective = this.peekKeyword('and') ? 'and' : this.peekKeyword('or') ? 'or' : undefined;
    if (!connective) return first;
    const items = [first];
    while (this.acceptKeyword(connective)) items.push(this.unary());
    const other = this.peek();
    if (this.peekKeyword('and') || this.peekKeyword('or')) this.unexpected(other);
    return { kind: connective, items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('not')) return { kind: 'not', item: this.unary() };
    if (this.peekPunct('(')) {
      this.next();
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.ident();
    if (this.acceptKeyword('like')) return { kind: 'like', field, pattern: this.literal() };
    const negated = this.acceptKeyword('not');
    if (negated || this.peekKeyword('in')) {
      this.keyword('in');
      this.punct('(');
      if (this.peekKeyword('select')) this.fail(this.peek(), 'semi-join sub-selects are not supported by this simulator');
      const values = this.list(() => this.literal());
      this.punct(')');
      return { kind: 'in', field, negated, values };
    }
    const op = this.next();
    if (op.type !== 'punct' || !COMPARISONS.has(op.text)) return this.unexpected(op);
    return { kind: 'compare', field, op: op.text as ComparisonOp, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'number':
        return { kind: 'number', value: t.value, pos: t.pos };
      case 'datetime':
        return { kind: 'datetime', value: t.value, text: t.text, pos: t.pos };
      case 'date':
        return { kind: 'date', value: t.value, pos: t.pos };
      case 'ident': {
        const word = t.text.toLowerCase();
        if (word === 'null') return { kind: 'null', pos: t.pos };
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', pos: t.pos };
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }

  private ident(): Ident {
    const t = this.next();
    if (t.type !== 'ident' || CLAUSE_WORDS.has(t.text.toLowerCase())) return this.unexpected(t);
    return { name: t.text, pos: t.pos };
  }

  private nonNegativeInt(): number {
    const t = this.next();
    if (t.type !== 'number' || !Number.isInteger(t.value) || t.value < 0) return this.unexpected(t);
    return t.value;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peekPunct(',')) {
      this.next();
      items.push(item());
    }
    return items;
  }

  private keyword(word: string): void {
    const t = this.next();
    if (t.type !== 'ident' || t.text.toLowerCase() !== word) this.unexpected(t);
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.i++;
    return true;
  }

  private peekKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && t.text.toLowerCase() === word;
  }

  private punct(text: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.text !== text) this.unexpected(t);
  }

  private peekPunct(text: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.text === text;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private unexpected(t: Token): never {
    return this.fail(t, `unexpected token: ${describe(t)}`);
  }

  private fail(t: Token, detail: string): never {
    throw new SoqlError('MALFORMED_QUERY', detail, t.pos);
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return '<EOF>';
    case 'string':
      return `'${t.value}'`;
    case 'ident':
    case 'punct':
      return t.text;
    case 'datetime':
      return t.text;
    default:
      return String(t.value);
  }
}
