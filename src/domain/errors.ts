/** Error kinds of the domain layer. Each names what is wrong precisely enough to fix it. */

/** A definition or mappings file that cannot be used: names the file, the path inside it, the value and what was expected. */
export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
    readonly value?: unknown,
    /** Further problems in the same file, counted so the reader knows the first is not the last. */
    readonly moreProblems = 0,
  ) {
    const at = path ? ` at ${path}` : '';
    const got = value === undefined ? '' : ` (got ${describeValue(value)})`;
    const more = moreProblems > 0 ? ` [and ${moreProblems} more problem(s)]` : '';
    super(`${file}${at}: ${problem}${got}${more}`);
    this.name = 'DefinitionError';
  }
}

/** A lifecycle change that the state machine does not allow; never applied. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly actor: string,
    reason: string,
  ) {
    super(`cannot move ${from} -> ${to} as ${actor}: ${reason}`);
    this.name = 'InvalidTransitionError';
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  }
  return String(value);
}
