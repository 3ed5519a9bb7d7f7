/** Webhook signature v3: valid, tampered, stale, wrong URI, missing and malformed headers. Pure. */
import { createHmac } from 'node:crypto';
import { canonicalUri, signV3, verifySignatureV3 } from '../../../connectors/hubspot/signature';

const SECRET = 'b7e1c3d2-6a4f-4e8b-9c0d-1f2e3a4b5c6d';
const URI = 'https://sync.northbridge-bio.example/webhooks/hubspot';
const BODY = '[{"eventId":1000001,"subscriptionId":2101003,"portalId":62515000,"appId":1160452,"occurredAt":1763600000000,"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":10042,"propertyName":"recent_conversion_date","propertyValue":"1763600000000","changeSource":"FORM"}]';
const NOW = 1_763_600_030_000;
const TS = String(NOW - 30_000);

/** Computed independently of the code under test, as HubSpot documents it. */
const hubspotSignature = (method: string, uri: string, body: string, ts: string) => createHmac('sha256', SECRET).update(`${method}${uri}${body}${ts}`).digest('base64');

const verify = (over: Partial<Parameters<typeof verifySignatureV3>[0]> = {}) =>
  verifySignatureV3({ method: 'POST', uri: URI, rawBody: Buffer.from(BODY), signature: hubspotSignature('POST', URI, BODY, TS), timestamp: TS, clientSecret: SECRET, now: NOW, ...over });

describe('verifySignatureV3', () => {
  test('a request signed as HubSpot signs it is valid (raw bytes or string)', () => {
    expect(verify()).toEqual({ ok: true });
    expect(verify({ rawBody: BODY })).toEqual({ ok: true });
    expect(signV3(SECRET, 'POST', URI, BODY, TS)).toBe(hubspotSignature('POST', URI, BODY, TS));
  });

  test('a changed body is tampered', () => {
    expect(verify({ rawBody: BODY.replace('10042', '10043') })).toMatchObject({ ok: false, reason: 'tampered' });
    // Re-serialised JSON (same data, other bytes) does not verify: the raw body must be used.
    expect(verify({ rawBody: JSON.stringify(JSON.parse(BODY), null, 1) })).toMatchObject({ ok: false, reason: 'tampered' });
  });

  test('a wrong URI (local URL behind a proxy, other path or query) is tampered', () => {
    expect(verify({ uri: 'http://127.0.0.1:3000/webhooks/hubspot' })).toMatchObject({ ok: false, reason: 'tampered' });
    expect(verify({ uri: `${URI}?x=1` })).toMatchObject({ ok: false, reason: 'tampered' });
    expect(verify({ method: 'PUT' })).toMatchObject({ ok: false, reason: 'tampered' });
  });

  test('a timestamp older (or further ahead) than five minutes is stale, even with a valid signature', () => {
    const old = String(NOW - 300_001);
    expect(verify({ timestamp: old, signature: hubspotSignature('POST', URI, BODY, old) })).toMatchObject({ ok: false, reason: 'stale' });
    const ahead = String(NOW + 301_000);
    expect(verify({ timestamp: ahead, signature: hubspotSignature('POST', URI, BODY, ahead) })).toMatchObject({ ok: false, reason: 'stale' });
    const edge = String(NOW - 299_000);
    expect(verify({ timestamp: edge, signature: hubspotSignature('POST', URI, BODY, edge) })).toEqual({ ok: true });
  });

  test('a signature replayed with another timestamp is tampered', () => {
    expect(verify({ timestamp: String(NOW - 1000) })).toMatchObject({ ok: false, reason: 'tampered' });
  });

  test('missing headers say which one', () => {
    expect(verify({ signature: undefined })).toMatchObject({ ok: false, reason: 'missing', detail: expect.stringContaining('X-HubSpot-Signature-v3') });
    expect(verify({ timestamp: undefined })).toMatchObject({ ok: false, reason: 'missing', detail: expect.stringContaining('X-HubSpot-Request-Timestamp') });
  });

  test('malformed values are bad, and a short signature does not throw (length-safe compare)', () => {
    expect(verify({ timestamp: 'yesterday' })).toMatchObject({ ok: false, reason: 'bad' });
    expect(verify({ signature: 'abc' })).toMatchObject({ ok: false, reason: 'bad' });
    expect(verify({ signature: Buffer.alloc(31).toString('base64') })).toMatchObject({ ok: false, reason: 'bad' });
    expect(verify({ signature: '!'.repeat(44) })).toMatchObject({ ok: false, reason: 'bad' });
  });

  test('the escapes HubSpot decodes before signing are decoded; others are kept', () => {
    expect(canonicalUri('https://x.example/hook?next=%2Fa%3Fb%3Dc%20d')).toBe('https://x.example/hook?next=/a?b%3Dc%20d');
    const encoded = 'https://x.example/hooks%3Ahubspot?tag=%40ops';
    const signedDecoded = hubspotSignature('POST', 'https://x.example/hooks:hubspot?tag=@ops', BODY, TS);
    expect(verify({ uri: encoded, signature: signedDecoded })).toEqual({ ok: true });
  });
});
