// The order subgraph's seeding entry for commands outside a running service (`npm run seed`):
// they call this instead of reaching into its entities, migrations and use cases.
import type { Config } from '../../../lib/platform/config.js';
import { Database } from '../../../lib/platform/db/database.js';
import type { Logger } from '../../../lib/platform/observability/logger.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { seedShippingMethods } from './use-cases/shipping-methods.js';

/** Opens (and migrates) the order database, adds STANDARD and EXPRESS if it has no shipping method; returns how many were added. */
export async function seedOrderDemo(config: Config, log: Logger): Promise<number> {
  return Database.using(config, { service: 'order', entities, migrations }, log, (db) => seedShippingMethods({ db, config }));
}
