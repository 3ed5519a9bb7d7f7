/**
 * Access tokens. Any non-empty bearer token is accepted, as if some login had issued it, until
 * it expires: after `ttlMs` from its first use or issue, on revoke, or when every session is
 * expired by a control call. Expired tokens stay expired; a client must obtain a new one.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  userId: string;
  issuedAt: number;
  expired: boolean;
}

export interface SessionOptions {
  /** Lifetime of a token; undefined = never expires. */
  ttlMs?: number;
  /** User of tokens the simulator did not issue itself. */
  defaultUserId: string;
  /** 15-character org id, the prefix of every issued token. */
  orgId15: string;
  clock: () => number;
}

export class Sessions {
  private readonly tokens = new Map<string, Session>();

  constructor(private readonly options: SessionOptions) {}

  /** A new token for `userId`, shaped like Salesforce's `00D...!AQ...`. */
  issue(userId: string): { token: string; issuedAt: number } {
    const token = `${this.options.orgId15}!AQ${randomBytes(48).toString('base64url')}`;
    const issuedAt = this.options.clock();
    this.tokens.set(token, { userId, issuedAt, expired: false });
    return { token, issuedAt };
  }

  /** The live session of a token, or undefined when it is missing or expired. */
  check(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    let session = this.tokens.get(token);
    if (!session) {
      session = { userId: this.options.defaultUserId, issuedAt: this.options.clock(), expired: false };
      this.tokens.set(token, session);
    }
    const { ttlMs } = this.options;
    if (ttlMs !== undefined && this.options.clock() - session.issuedAt >= ttlMs) session.expired = true;
    return session.expired ? undefined : session;
  }

  revoke(token: string): void {
    const session = this.tokens.get(token);
    if (session) session.expired = true;
    else this.tokens.set(token, { userId: this.options.defaultUserId, issuedAt: 0, expired: true });
  }

  /** Expires every token seen so far; returns how many were live. */
  expireAll(): number {
    let n = 0;
    for (const session of this.tokens.values()) {
      if (!session.expired) n++;
      session.expired = true;
    }
    return n;
  }
}

/** The token of an `Authorization: Bearer x` (or legacy `OAuth x`) header. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
