/** Small node:http helpers shared by the API and the hosted page (no framework needed). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StripeApiError } from './errors.js';

/** Stripe caps request bodies well below this; anything bigger is a client bug. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new StripeApiError(413, 'invalid_request_error', 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  send(res, status, body, { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store', ...headers });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Everything is inline and same-origin; nothing may be loaded from elsewhere.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
}

/**
 * Stripe's auth: `Authorization: Bearer sk_test_…` (what the SDK sends) or HTTP Basic with
 * the key as user name (what `curl -u sk_test_…:` sends). Only test-mode secret keys pass.
 */
export function authenticate(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  let key: string | undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (bearer) key = bearer[1];
  else if (basic) key = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0];
  if (!key) {
    throw new StripeApiError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (!/^sk_test_\S+$/.test(key)) {
    const redacted = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '****';
    throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${redacted}`, 'api_key_invalid');
  }
  return key;
}
