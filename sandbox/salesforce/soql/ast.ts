/** Syntax tree of the SOQL subset the simulator understands. `pos` is a 0-based offset. */

export interface Ident {
  name: string;
  pos: number;
}

export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'datetime'; value: number; text: string; pos: number }
  | { kind: 'date'; value: string; pos: number };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: Ident; op: ComparisonOp; value: Literal }
  | { kind: 'in'; field: Ident; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: Ident; pattern: Literal };

export type SelectItem = { kind: 'field'; field: Ident } | { kind: 'count'; field?: Ident; pos: number };

export interface OrderItem {
  field: Ident;
  descending: boolean;
  /** Explicit NULLS FIRST / LAST; otherwise nulls sort first ascending, last descending. */
  nullsFirst?: boolean;
}

export interface SelectQuery {
  select: SelectItem[];
  from: Ident;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
