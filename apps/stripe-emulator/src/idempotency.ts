/**
 * Stripe's idempotency semantics for POST requests:
 * - the first response for (API key, Idempotency-Key) is saved and replayed verbatim
 *   (same status and body, header `Idempotent-Replayed: true`);
 * - reusing a key on another endpoint or with other params is a 400 `idempotency_error`;
 * - a result is saved once the endpoint began executing, whatever it is, 500s included: a
 *   failure after the work was done must not let a retry do the work twice. Requests refused
 *   before executing (parameter validation, a 500 injected with failNext(…, 'before')) are not
 *   saved, so a corrected or repeated request with the key runs;
 * - keys are forgotten after 24 hours (Stripe's documented minimum), by prune() on a timer.
 * The SDK relies on this: it adds its own Idempotency-Key to every POST it may retry.
 * Handlers run synchronously once the body is read, so two requests never interleave.
 */
import { StripeApiError } from './errors.js';
import { takeExpired } from './retention.js';

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry extends SavedResponse {
  method: string;
  path: string;
  fingerprint: string;
  savedAt: number;
}

/** Stripe prunes keys after at least 24 hours. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  /** Entry id → savedAt, in save order, so prune() stops at the first young key. */
  private readonly savedAt = new Map<string, number>();

  constructor(private readonly retentionMs = IDEMPOTENCY_RETENTION_MS) {}

  get size(): number {
    return this.entries.size;
  }

  /** Forgets keys saved more than the retention ago; O(forgotten). */
  prune(nowMs = Date.now()): void {
    for (const id of takeExpired(this.savedAt, nowMs - this.retentionMs)) this.entries.delete(id);
  }

  /** The saved response to replay, undefined to execute the request, or a thrown 400 on misuse. */
  lookup(apiKey: string, key: string, method: string, path: string, fingerprint: string): SavedResponse | undefined {
    if (key.length > MAX_KEY_LENGTH) {
      throw new StripeApiError(400, 'invalid_request_error', `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`);
    }
    const entry = this.entries.get(this.id(apiKey, key));
    if (!entry) return undefined;
    if (Date.now() - entry.savedAt > this.retentionMs) return undefined; // expired, prune() has not run yet
    if (entry.method !== method || entry.path !== path) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.method} ${entry.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.fingerprint !== fingerprint) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return entry;
  }

  save(apiKey: string, key: string, method: string, path: string, fingerprint: string, response: SavedResponse): void {
    const id = this.id(apiKey, key);
    const now = Date.now();
    // Re-saving an expired key moves it to the end, keeping savedAt in save order.
    this.savedAt.delete(id);
    this.savedAt.set(id, now);
    this.entries.set(id, { ...response, method, path, fingerprint, savedAt: now });
  }

  private id(apiKey: string, key: string): string {
    return `${apiKey}\n${key}`;
  }
}
