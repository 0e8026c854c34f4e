// The demo customer, seeded into an empty account database (SEED_DEMO, or `npm run seed`).
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../../lib/platform/auth.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { CouponEntity, CustomerEntity } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export const DEMO_CUSTOMER = { email: 'demo@example.com', password: 'demo-password', name: 'Demo Customer' };

/** Seeds only when no customer exists yet (so it takes no input); returns whether it did. */
export async function seedDemoCustomer({ db, config }: Pick<AccountDeps, 'db' | 'config'>): Promise<boolean> {
  if ((await db.manager.count(CustomerEntity)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_CUSTOMER.password);
  try {
    await db.transaction(async (em) => {
      const now = new Date();
      await em.insert(CustomerEntity, {
        id: randomUUID(),
        email: DEMO_CUSTOMER.email,
        name: DEMO_CUSTOMER.name,
        role: 'CUSTOMER',
        passwordHash,
        storeCredit: 500,
        loyaltyPoints: 0,
        createdAt: now,
      });
      await em.insert(CouponEntity, {
        code: 'WELCOME10',
        percentOff: 10,
        amountOff: null,
        currency: config.STORE_CURRENCY,
        customerId: null,
        expiresAt: null,
        maxRedemptions: null,
        // Listed for every customer, and once each.
        maxRedemptionsPerCustomer: 1,
        public: true,
        redemptions: 0,
        createdAt: now,
      });
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  return true;
}
