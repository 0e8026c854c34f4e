// Sign-in throttling counters, kept in the account database so that every instance of the account
// service counts together. Written here rather than with rate-limiter-flexible: that library
// would need raw driver connections beside TypeORM's, while these are conditional statements in
// our own transactions, the same on SQLite and MariaDB (no SELECT … FOR UPDATE, and nothing that
// depends on mysql2 reporting matched rather than changed rows: every matched row changes).
import type { EntityManager } from 'typeorm';
import type { Config } from '../../../../lib/platform/config.js';
import { isDuplicateKey, sqlTime } from '../../../../lib/platform/db/database.js';
import { userError } from '../../../../lib/contracts/errors.js';
import { retryAfterSeconds, type Counter, type SignInLimits } from '../domain/sign-in-limits.js';
import { SignInCounterEntity } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export function signInLimits(config: Config): SignInLimits {
  return {
    windowMs: config.SIGN_IN_WINDOW,
    loginFailuresPerEmail: config.LOGIN_FAILURES_PER_EMAIL,
    loginFailuresPerAddress: config.LOGIN_FAILURES_PER_ADDRESS,
    signUpsPerAddress: config.SIGN_UPS_PER_ADDRESS,
  };
}

/**
 * Counts one attempt against every counter, before the attempt runs, so that parallel attempts
 * cannot slip past a limit; when any counter is at its limit nothing is counted and the attempt
 * is RATE_LIMITED with retryAfter, the seconds until that counter's window passes.
 */
export async function countAttempt({ db }: Pick<AccountDeps, 'db'>, { counters, windowMs }: { counters: Counter[]; windowMs: number }): Promise<void> {
  const now = new Date();
  await db.transaction(async (em) => {
    for (const counter of counters) {
      const retryAfter = await hit(em, counter, windowMs, now);
      // Thrown inside the transaction: the counters already hit are rolled back with it.
      if (retryAfter !== null) throw userError('RATE_LIMITED', `Too many attempts: try again in ${retryAfter} s`, { retryAfter });
    }
  });
}

/** Counts one hit; null when counted, else the seconds until the counter's window passes. */
async function hit(em: EntityManager, counter: Counter, windowMs: number, now: Date): Promise<number | null> {
  const params = { key: counter.key, limit: counter.limit, now: sqlTime(now), cutoff: sqlTime(new Date(now.getTime() - windowMs)) };
  // One conditional statement: a passed window starts again at 1 hit, a live one counts on while
  // under its limit. hits is assigned before window_start because MySQL evaluates SET left to
  // right with the values already assigned (SQLite with the old ones); both then agree.
  const counted = await em
    .createQueryBuilder()
    .update(SignInCounterEntity)
    .set({
      hits: () => 'CASE WHEN window_start <= :cutoff THEN 1 ELSE hits + 1 END',
      windowStart: () => 'CASE WHEN window_start <= :cutoff THEN :now ELSE window_start END',
    })
    .where('counter_key = :key AND (window_start <= :cutoff OR hits < :limit)', params)
    .setParameters(params)
    .execute();
  if (counted.affected) return null;
  const row = await em.findOneBy(SignInCounterEntity, { key: counter.key });
  if (row) return retryAfterSeconds(row.windowStart, windowMs, now);
  try {
    await em.insert(SignInCounterEntity, { key: counter.key, windowStart: now, hits: 1 });
    return null;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return hit(em, counter, windowMs, now); // another instance counted its first hit at the same moment
  }
}

/**
 * A logIn that turned out right: only failures count, so its attempt is given back; and the
 * per-email count starts again, since whoever knows the password needs no guesses. The address
 * count is not reset, or one's own account could clear the way for guesses at others.
 */
export async function forgiveLogIn({ db }: Pick<AccountDeps, 'db'>, { counters: [email, address] }: { counters: [Counter, Counter] }): Promise<void> {
  await db.transaction(async (em) => {
    await em.delete(SignInCounterEntity, { key: email.key });
    await em
      .createQueryBuilder()
      .update(SignInCounterEntity)
      .set({ hits: () => 'hits - 1' })
      .where('counter_key = :key AND hits > 0', { key: address.key })
      .execute();
  });
}

/** Counters whose window has passed count for nothing: deleted, so the table stays small. */
export async function sweepSignInCounters({ db, config }: Pick<AccountDeps, 'db' | 'config'>, { now }: { now: Date }): Promise<void> {
  const cutoff = sqlTime(new Date(now.getTime() - config.SIGN_IN_WINDOW));
  await db.transaction((em) => em.createQueryBuilder().delete().from(SignInCounterEntity).where('window_start <= :cutoff', { cutoff }).execute());
}
