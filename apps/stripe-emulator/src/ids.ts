import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Stripe-looking object ids (`cs_test_…`, `pi_…`, `evt_…`). Our code and logs only ever
 * look at the prefix, but realistic shapes keep column sizes and regexes honest.
 */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 % 62 bias is irrelevant here: these ids need to be unique, not uniformly random.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

/** Stripe timestamps are whole unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
