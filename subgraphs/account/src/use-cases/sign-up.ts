import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword, type TokenService } from '../../../../lib/auth.js';
import { isDuplicateKey, type Database } from '../../../../lib/db/database.js';
import { badInput, userError } from '../../../../lib/errors.js';
import { CustomerEntity, type CustomerRow } from '../persistence/entities.js';

export interface AuthResult {
  token: string;
  customer: CustomerRow;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function signUp(db: Database, tokens: TokenService, input: { email: string; password: string; name: string }): Promise<AuthResult> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!EMAIL.test(email) || email.length > 254) throw badInput('email must be a valid address');
  if (input.password.length < 8 || input.password.length > 200) throw badInput('password must be 8 to 200 characters');
  if (!name || name.length > 200) throw badInput('name must be 1 to 200 characters');
  const customer: CustomerRow = {
    id: randomUUID(),
    email,
    name,
    role: 'CUSTOMER',
    passwordHash: await hashPassword(input.password),
    storeCredit: 0,
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

export async function logIn(db: Database, tokens: TokenService, input: { email: string; password: string }): Promise<AuthResult> {
  const customer = await db.manager.findOneBy(CustomerEntity, { email: input.email.trim().toLowerCase() });
  // Same answer for an unknown email and a wrong password, so neither is revealed.
  if (!customer || !(await verifyPassword(input.password, customer.passwordHash))) {
    throw userError('UNAUTHENTICATED', 'Wrong email or password');
  }
  return { token: await tokens.sign(customer), customer };
}

/** The admin named by ADMIN_EMAIL exists, with ADMIN_PASSWORD and role ADMIN, after every start-up. */
export async function ensureAdmin(db: Database, email: string, password: string): Promise<void> {
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
        loyaltyPoints: 0,
        createdAt: new Date(),
      }),
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another instance ensured it at the same moment
  }
}
