import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../../../lib/platform/auth.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { validateEmail } from '../../../../lib/contracts/email.js';
import { badInput, userError } from '../../../../lib/contracts/errors.js';
import { passwordProblem } from '../domain/password-policy.js';
import { signUpCounters } from '../domain/sign-in-limits.js';
import { CustomerEntity, type CustomerRow } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';
import { countAttempt, signInLimits } from './sign-in-counters.js';

export interface AuthResult {
  token: string;
  customer: CustomerRow;
}

/** What a sign-in form sends, and from where: attempts are throttled per client address too. */
export interface Credentials {
  email: string;
  password: string;
  clientAddress: string;
}

export async function signUp(
  { db, tokens, config }: Pick<AccountDeps, 'db' | 'tokens' | 'config'>,
  input: Credentials & { name: string },
): Promise<AuthResult> {
  const email = validateEmail(input.email);
  const name = input.name.trim();
  const weakPassword = passwordProblem(input.password);
  if (weakPassword) throw badInput(weakPassword);
  if (!name || name.length > 200) throw badInput('name must be 1 to 200 characters');
  // Counted once the input is fine: every attempt that could create an account (or learn that
  // an email has one, from CONFLICT) counts, a mistyped form does not.
  const limits = signInLimits(config);
  await countAttempt({ db }, { counters: signUpCounters(limits, input.clientAddress), windowMs: limits.windowMs });
  const customer: CustomerRow = {
    id: randomUUID(),
    email,
    name,
    role: 'CUSTOMER',
    passwordHash: await hashPassword(input.password),
    storeCredit: 0,
    // A balance of 0 at version 0 is what carts assume of a customer they have heard nothing of.
    creditVersion: 0,
    loyaltyPoints: 0,
    createdAt: new Date(),
  };
  try {
    await db.transaction((em) => em.insert(CustomerEntity, customer));
  } catch (err) {
    if (isDuplicateKey(err)) throw userError('CONFLICT', 'An account with this email already exists; log in instead');
    throw err;
  }
  return { token: await tokens.sign(customer), customer };
}

/** The admin named by ADMIN_EMAIL exists, with ADMIN_PASSWORD and role ADMIN, after every start-up. */
export async function ensureAdmin({ db }: Pick<AccountDeps, 'db'>, { email, password }: { email: string; password: string }): Promise<void> {
  const normalised = email.toLowerCase();
  const existing = await db.manager.findOneBy(CustomerEntity, { email: normalised });
  if (existing && existing.role === 'ADMIN' && (await verifyPassword(password, existing.passwordHash))) return;
  const passwordHash = await hashPassword(password);
  if (existing) {
    await db.transaction((em) => em.update(CustomerEntity, { id: existing.id }, { role: 'ADMIN', passwordHash }));
    return;
  }
  try {
    await db.transaction((em) =>
      em.insert(CustomerEntity, {
        id: randomUUID(),
        email: normalised,
        name: 'Admin',
        role: 'ADMIN',
        passwordHash,
        storeCredit: 0,
        creditVersion: 0,
        loyaltyPoints: 0,
        createdAt: new Date(),
      }),
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another instance ensured it at the same moment
  }
}
