// The account subgraph's seeding entry for commands outside a running service (`npm run seed`,
// `npm start`'s banner): they call this instead of reaching into its entities, migrations and
// use cases.
import type { Config } from '../../../lib/platform/config.js';
import { Database } from '../../../lib/platform/db/database.js';
import { transactWith } from '../../../lib/platform/messaging/transaction.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import { CustomerEntity, entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { DEMO_CUSTOMER, seedDemoCustomer } from './use-cases/seed-demo.js';

export { DEMO_CUSTOMER };

/**
 * Opens (and migrates) the account database, adds the demo customer and coupon if it has no
 * customer; returns whether it did. No relay runs here: their events wait in the outbox, and the
 * service's relay publishes them when it next starts or polls.
 */
export async function seedAccountDemo(config: Config, log: Logger): Promise<boolean> {
  return Database.using(config, { service: 'account', entities, migrations }, log, (db) => seedDemoCustomer({ db, transact: transactWith(db), config }));
}

/** Whether the demo customer can sign in: seeded by SEED_DEMO into an empty database, or by `npm run seed`. */
export function demoCustomerExists(db: Database): Promise<boolean> {
  return db.manager.existsBy(CustomerEntity, { email: DEMO_CUSTOMER.email });
}
