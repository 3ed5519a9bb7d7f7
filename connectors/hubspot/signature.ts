/**
 * HubSpot webhook signature v3: `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(client
 * secret, method + URI + raw body + timestamp)), `X-HubSpot-Request-Timestamp` in epoch ms,
 * refused when more than five minutes away from now. Pure: the caller passes the raw body
 * bytes as received (never a re-serialised JSON) and the full public URI HubSpot called
 * (scheme, host, path, query; behind a proxy that is WEBHOOK_PUBLIC_URL, not the local URL).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing' | 'bad' | 'stale' | 'tampered';

export type SignatureResult = { ok: true } | { ok: false; reason: SignatureFailure; detail: string };

export interface SignatureInput {
  method: string;
  /** Full URI HubSpot called, e.g. `https://sync.example.com/webhooks/hubspot?x=1`. */
  uri: string;
  rawBody: Buffer | string;
  /** `X-HubSpot-Signature-v3` header value. */
  signature: string | undefined;
  /** `X-HubSpot-Request-Timestamp` header value (epoch ms). */
  timestamp: string | undefined;
  clientSecret: string;
  /** @defaultValue Date.now() */
  now?: number;
  /** @defaultValue 300000 (five minutes) */
  maxAgeMs?: number;
}

/** HubSpot decodes these escapes in the URI before signing; every other escape stays as sent. */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function canonicalUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED[escape.toUpperCase()] ?? escape);
}

/** The v3 signature HubSpot would send for this request (also used by tests and the sandbox side). */
export function signV3(clientSecret: string, method: string, uri: string, rawBody: Buffer | string, timestamp: string): string {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${canonicalUri(uri)}`)
    .update(rawBody)
    .update(timestamp)
    .digest('base64');
}

export function verifySignatureV3(input: SignatureInput): SignatureResult {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: 'missing', detail: `missing ${!signature ? 'X-HubSpot-Signature-v3' : 'X-HubSpot-Request-Timestamp'} header` };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'bad', detail: 'X-HubSpot-Request-Timestamp is not epoch milliseconds' };
  const given = Buffer.from(signature, 'base64');
  // A SHA-256 digest is 32 bytes; anything else cannot match and must not reach timingSafeEqual (it throws on a length mismatch).
  if (given.length !== 32 || given.toString('base64') !== signature) return { ok: false, reason: 'bad', detail: 'X-HubSpot-Signature-v3 is not a base64 SHA-256 digest' };
  const now = input.now ?? Date.now();
  const maxAge = input.maxAgeMs ?? 300_000;
  const age = now - Number(timestamp);
  if (Math.abs(age) > maxAge) return { ok: false, reason: 'stale', detail: `timestamp is ${Math.round(age / 1000)} s from now (allowed: ${maxAge / 1000} s)` };
  const expected = Buffer.from(signV3(input.clientSecret, input.method, input.uri, input.rawBody, timestamp), 'base64');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'tampered', detail: 'signature does not match the method, URI, body and timestamp' };
  return { ok: true };
}
