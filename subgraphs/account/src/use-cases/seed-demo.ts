// The demo customer, seeded into an empty account database (SEED_DEMO, or `npm run seed`), with
// the events that tell carts its coupon and credit, in the same transaction.
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../../lib/platform/auth.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { couponChanged, creditChanged } from '../messaging/account-events.js';
import { CouponEntity, CustomerEntity, type CouponRow, type CustomerRow } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export const DEMO_CUSTOMER = { email: 'demo@example.com', password: 'demo-password', name: 'Demo Customer' };

/** Seeds only when no customer exists yet (so it takes no input); returns whether it did. */
export async function seedDemoCustomer({ db, transact, config }: Pick<AccountDeps, 'db' | 'transact' | 'config'>): Promise<boolean> {
  if ((await db.manager.count(CustomerEntity)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_CUSTOMER.password);
  try {
    await transact(async ({ em, enqueue }) => {
      const now = new Date();
      const customer: CustomerRow = {
        id: randomUUID(),
        email: DEMO_CUSTOMER.email,
        name: DEMO_CUSTOMER.name,
        role: 'CUSTOMER',
        passwordHash,
        storeCredit: 500,
        // Born with credit: version 1 is that first balance (0 is the no-credit carts assume).
        creditVersion: 1,
        loyaltyPoints: 0,
        createdAt: now,
      };
      const coupon: CouponRow = {
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
      };
      await em.insert(CustomerEntity, customer);
      await em.insert(CouponEntity, coupon);
      await enqueue(creditChanged(customer, config.STORE_CURRENCY), couponChanged(coupon));
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  return true;
}
