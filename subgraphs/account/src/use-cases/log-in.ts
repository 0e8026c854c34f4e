// logIn, throttled: failures count per email and per client address (sign-in-counters.ts), and an
// unknown email costs one scrypt like a known one, so neither guessing nor timing finds accounts.
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../../../lib/platform/auth.js';
import { userError } from '../../../../lib/platform/errors.js';
import { logInCounters } from '../domain/sign-in-limits.js';
import { CustomerEntity } from '../persistence/entities.js';
import { countAttempt, forgiveLogIn, signInLimits } from './sign-in-counters.js';
import { normaliseEmail, type AuthResult, type SignInRuntime } from './sign-up.js';

export async function logIn(
  rt: SignInRuntime,
  input: { email: string; password: string },
  clientAddress: string,
  /** The password check; tests pass a counting one to see that an unknown email is checked too. */
  checkPassword: (password: string, hash: string) => Promise<boolean> = verifyPassword,
): Promise<AuthResult> {
  const email = normaliseEmail(input.email);
  const limits = signInLimits(rt.config);
  const counters = logInCounters(limits, email, clientAddress);
  // Counted before the check (the right password gives it back below), so that parallel guesses
  // cannot pass the limit; at the limit even the right password is refused until the window passes.
  await countAttempt(rt.db, counters, limits.windowMs);
  const customer = await rt.db.manager.findOneBy(CustomerEntity, { email });
  const matches = await checkPassword(input.password, customer?.passwordHash ?? DUMMY_PASSWORD_HASH);
  // Same answer for an unknown email and a wrong password, so neither is revealed.
  if (!customer || !matches) throw userError('UNAUTHENTICATED', 'Wrong email or password');
  await forgiveLogIn(rt.db, counters);
  return { token: await rt.tokens.sign(customer), customer };
}
