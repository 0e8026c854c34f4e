// The inventory subgraph's seeding entry for commands outside a running service (`npm run seed`):
// they call this instead of reaching into its entities, migrations and use cases.
import type { Config } from '../../../lib/platform/config.js';
import { Database } from '../../../lib/platform/db/database.js';
import { transactWith } from '../../../lib/platform/messaging/transaction.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { seedDemoCatalog } from './use-cases/products.js';

/**
 * Opens (and migrates) the inventory database, adds the demo catalog if it has no product; returns
 * how many were added. No relay runs here: the products' events wait in the outbox, and the
 * service's relay publishes them when it next starts or polls.
 */
export async function seedInventoryDemo(config: Config, log: Logger): Promise<number> {
  return Database.using(config, { service: 'inventory', entities, migrations }, log, (db) => seedDemoCatalog({ db, transact: transactWith(db), config }));
}
