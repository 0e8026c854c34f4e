// A Checkout Session's expiry, pure so that its rounding can be tested without Stripe.

/**
 * When the session expires, in unix seconds: the order's payment window, derived from when it was
 * placed (not from now) so a retry sends identical parameters. Stripe (and the emulator, unless
 * told to allow tests short windows) wants 30 minutes to 24 hours from the session's creation, so
 * there it is at least 31 minutes ahead, rounded up to a
 * 5-minute step so that retries within the step still match.
 */
export function sessionExpiry(placedAtMs: number, windowMs: number, stripeBounds: boolean, nowMs = Date.now()): number {
  const fromOrder = placedAtMs + windowMs;
  if (!stripeBounds) return Math.floor(fromOrder / 1000);
  const step = 5 * 60_000;
  const earliest = Math.ceil((nowMs + 31 * 60_000) / step) * step;
  return Math.floor(Math.min(Math.max(fromOrder, earliest), nowMs + 23 * 3_600_000) / 1000);
}
