// logIn, throttled: failures count per email and per client address (sign-in-counters.ts), and an
// unknown email costs one scrypt like a known one, so neither guessing nor timing finds accounts.
import { DUMMY_PASSWORD_HASH } from '../../../../lib/platform/auth.js';
import { userError } from '../../../../lib/contracts/errors.js';
import { logInCounters } from '../domain/sign-in-limits.js';
import { CustomerEntity } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';
import { countAttempt, forgiveLogIn, signInLimits } from './sign-in-counters.js';
import { normaliseEmail } from '../../../../lib/contracts/email.js';
import type { AuthResult, Credentials } from './sign-up.js';

export async function logIn(deps: Pick<AccountDeps, 'db' | 'tokens' | 'config' | 'checkPassword'>, input: Credentials): Promise<AuthResult> {
  const { db } = deps;
  const email = normaliseEmail(input.email);
  const limits = signInLimits(deps.config);
  const counters = logInCounters(limits, email, input.clientAddress);
  // Counted before the check (the right password gives it back below), so that parallel guesses
  // cannot pass the limit; at the limit even the right password is refused until the window passes.
  await countAttempt(deps, { counters, windowMs: limits.windowMs });
  const customer = await db.manager.findOneBy(CustomerEntity, { email });
  const matches = await deps.checkPassword(input.password, customer?.passwordHash ?? DUMMY_PASSWORD_HASH);
  // Same answer for an unknown email and a wrong password, so neither is revealed.
  if (!customer || !matches) throw userError('UNAUTHENTICATED', 'Wrong email or password');
  await forgiveLogIn(deps, { counters });
  return { token: await deps.tokens.sign(customer), customer };
}
