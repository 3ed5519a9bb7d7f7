/**
 * The url and title patterns of a definition, evaluated once per distinct text.
 *
 * Rules and service-line signals test the same few pages and titles again and again (a site
 * has a finite set of pages, a content library a finite set of titles), so each text is
 * classified against every pattern once and the answer reused. This is what keeps
 * evaluation far from the bottleneck of a backfill or a backtest.
 */
import { compileRegex } from './conditions';

const MAX_MEMO = 100_000;

export class TextPatterns {
  private readonly patterns: RegExp[] = [];
  private readonly indexBySource = new Map<string, number>();
  private readonly memo = new Map<string, Uint8Array>();
  private none: Uint8Array | undefined;

  /** Registers a pattern (once per distinct source) and returns its slot. */
  register(pattern: string, path: string): number {
    const known = this.indexBySource.get(pattern);
    if (known !== undefined) return known;
    this.patterns.push(compileRegex(pattern, path));
    this.indexBySource.set(pattern, this.patterns.length - 1);
    return this.patterns.length - 1;
  }

  /** One flag per registered pattern: 1 when the text matches it. */
  flags(text: string | undefined): Uint8Array {
    if (text === undefined || text === '') return (this.none ??= new Uint8Array(this.patterns.length));
    let flags = this.memo.get(text);
    if (flags === undefined) {
      flags = new Uint8Array(this.patterns.length);
      for (let i = 0; i < this.patterns.length; i++) flags[i] = this.patterns[i]!.test(text) ? 1 : 0;
      if (this.memo.size >= MAX_MEMO) this.memo.clear();
      this.memo.set(text, flags);
    }
    return flags;
  }
}
