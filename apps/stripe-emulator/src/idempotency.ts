/**
 * Stripe's idempotency semantics for POST requests:
 * - the first response for (API key, Idempotency-Key) is saved and replayed verbatim
 *   (same status and body, header `Idempotent-Replayed: true`);
 * - reusing a key on another endpoint or with other params is a 400 `idempotency_error`;
 * - results are saved only once the endpoint began executing: validation failures and
 *   server errors (our injected 500s) are not saved, so a retry with the key runs again.
 * The SDK relies on this: it adds its own Idempotency-Key to every POST it may retry.
 * Handlers run synchronously once the body is read, so two requests never interleave.
 */
import { StripeApiError } from './errors.js';

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
const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** The saved response to replay, undefined to execute the request, or a thrown 400 on misuse. */
  lookup(apiKey: string, key: string, method: string, path: string, fingerprint: string): SavedResponse | undefined {
    if (key.length > MAX_KEY_LENGTH) {
      throw new StripeApiError(400, 'invalid_request_error', `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`);
    }
    const entry = this.entries.get(this.id(apiKey, key));
    if (!entry) return undefined;
    if (Date.now() - entry.savedAt > TTL_MS) {
      this.entries.delete(this.id(apiKey, key));
      return undefined;
    }
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
    this.entries.set(this.id(apiKey, key), { ...response, method, path, fingerprint, savedAt: Date.now() });
  }

  private id(apiKey: string, key: string): string {
    return `${apiKey}\n${key}`;
  }
}
