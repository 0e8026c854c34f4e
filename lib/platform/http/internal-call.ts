// Signed calls between subgraphs (the try step). Each call carries its own short JWT (HS256, jose)
// whose claims bind the target service (aud), the HTTP method, the path and a SHA-256 of the body,
// valid for 30 s: a captured credential cannot be replayed later, against another endpoint or
// service, or with another body. Within its 30 s the same request can be repeated as it was; every
// internal endpoint is idempotent per order, so that repeats what was already done.
// The signing key is derived from SERVICE_TOKEN (HKDF), so the setting itself never travels.
import { createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { Request } from 'express';
import { SignJWT, jwtVerify } from 'jose';
import type { ServiceName } from '../config.js';

/** How long a signed call is accepted after it was signed. */
export const INTERNAL_CALL_LIFETIME_S = 30;
/**
 * Clock difference between two hosts that is still accepted, either way: a call is refused once
 * it is older than lifetime + tolerance (35 s) by the receiver's clock, or dated more than the
 * tolerance into the receiver's future. NTP keeps hosts within milliseconds; 5 s covers a host
 * whose clock has drifted for a while without letting a call live much longer.
 */
export const CLOCK_SKEW_TOLERANCE_S = 5;

const TOKEN_TYPE = 'internal-call+jwt';

/** What a signature is bound to. `body` is the exact JSON text sent, undefined for none. */
export interface InternalCall {
  audience: ServiceName;
  method: string;
  /** Path and query string, as the receiver sees them in the request line. */
  path: string;
  body?: string;
}

const keys = new Map<string, KeyObject>();

/** One key per SERVICE_TOKEN, derived once: only for signing internal calls. */
function keyFor(serviceToken: string): KeyObject {
  let key = keys.get(serviceToken);
  if (!key) {
    key = createSecretKey(Buffer.from(hkdfSync('sha256', serviceToken, 'checkout-supergraph', 'internal-call v1', 32)));
    keys.set(serviceToken, key);
  }
  return key;
}

const bodyHash = (body: string | undefined) =>
  createHash('sha256')
    .update(body ?? '')
    .digest('base64url');

/** The bearer token for one call; `now` is the signer's clock (tests set it). */
export function signInternalCall(serviceToken: string, call: InternalCall, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ htm: call.method.toUpperCase(), htp: call.path, bsh: bodyHash(call.body) })
    .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
    .setAudience(call.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + INTERNAL_CALL_LIFETIME_S)
    .sign(keyFor(serviceToken));
}

/** Is this bearer token a live signature of exactly this call? */
export async function verifyInternalCall(serviceToken: string, token: string, call: InternalCall, now?: Date): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, keyFor(serviceToken), {
      algorithms: ['HS256'],
      typ: TOKEN_TYPE,
      audience: call.audience,
      // Bounds the age by iat too, so even a token signed with a longer exp is refused.
      maxTokenAge: INTERNAL_CALL_LIFETIME_S,
      clockTolerance: CLOCK_SKEW_TOLERANCE_S,
      requiredClaims: ['exp'],
      currentDate: now,
    });
    return payload.htm === call.method.toUpperCase() && payload.htp === call.path && payload.bsh === bodyHash(call.body);
  } catch {
    return false;
  }
}

/** Headers for a call to another subgraph's internal endpoint at `url`. */
export async function internalCallHeaders(
  serviceToken: string,
  to: { audience: ServiceName; method: string; url: string; body?: string },
  now?: Date,
): Promise<Record<string, string>> {
  const { pathname, search } = new URL(to.url);
  const token = await signInternalCall(serviceToken, { audience: to.audience, method: to.method, path: pathname + search, body: to.body }, now);
  return { authorization: `Bearer ${token}`, ...(to.body === undefined ? {} : { 'content-type': 'application/json' }) };
}

/**
 * Is this request a live signed call of a subgraph to this service (`audience`), for exactly this
 * method, path and body? The body is compared as JSON text: the caller signs the text it sends,
 * and JSON.stringify gives that text back from what express.json parsed (it is the identity on
 * JSON.stringify's own output), so a body that parses differently is refused.
 */
export function isServiceCall(req: Request, serviceToken: string, audience: ServiceName): Promise<boolean> {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return Promise.resolve(false);
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  return verifyInternalCall(serviceToken, token, { audience, method: req.method, path: req.originalUrl, body });
}
