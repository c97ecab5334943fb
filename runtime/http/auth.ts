import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { httpError } from './problem.ts';

/**
 * Shared-secret checks for webhook senders. Every comparison is constant-time: tokens are
 * compared through their SHA-256 (equal lengths, so neither content nor length leaks), HMAC
 * signatures as 32 raw bytes.
 */

/**
 * `Authorization: Bearer <token>`, or the token as the whole header value: Observium's
 * webhook-json transport sends its "token" setting that way.
 */
function bearerMatches(authorization: string | undefined, expected: string): boolean {
  if (authorization === undefined || authorization === '') return false;
  const scheme = /^Bearer +(\S+) *$/i.exec(authorization);
  const token = scheme ? scheme[1]! : authorization;
  return timingSafeEqual(sha256(token), sha256(expected));
}

/** 401 with `WWW-Authenticate: Bearer` unless the header carries the token. */
export function requireBearer(authorization: string | undefined, expected: string, realm: string): void {
  if (bearerMatches(authorization, expected)) return;
  throw httpError(
    'UNAUTHORIZED',
    authorization ? 'the bearer token is not valid' : 'a bearer token is required (Authorization: Bearer <token>)',
    { headers: { 'WWW-Authenticate': `Bearer realm="${realm}"` } },
  );
}

/** `sha256=<hex>` or plain hex of HMAC-SHA256(secret, raw body). */
function signatureMatches(signature: string | undefined, secret: string, body: Uint8Array): boolean {
  if (signature === undefined) return false;
  const hex = signature.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** 401 unless `header` holds the HMAC-SHA256 of the raw body. */
export function requireSignature(signature: string | undefined, header: string, secret: string, body: Uint8Array): void {
  if (signatureMatches(signature, secret, body)) return;
  throw httpError(
    'UNAUTHORIZED',
    signature ? `the signature in ${header} does not match the body` : `a signature is required in ${header} (sha256=<hex HMAC-SHA256 of the body>)`,
  );
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
