// Our Stripe idempotency keys and when to move past one. Stripe saves the response of a request
// that started executing (a 500 included) and replays it for that key for 24 hours, so retrying a
// failed create under the same key can never succeed. Each key carries a generation; the next
// generation is used only once Stripe shows that the failed request made nothing usable.

/** The key of a request in a generation; generation 0 keeps the key used before generations existed. */
export const keyFor = (base: string, generation: number) => (generation === 0 ? base : `${base}-g${generation}`);

/**
 * A failure a retry under the same key may meet again: Stripe's 5xx answers (replayed for the key
 * once saved). Client errors (4xx) say what is wrong with the request and are handled as such.
 */
export function isStripeServerError(err: unknown): boolean {
  const status = (err as { statusCode?: number })?.statusCode;
  return typeof status === 'number' && status >= 500;
}
