// npm run seed: the demo catalog, customer and coupon, on demand (whatever SEED_DEMO says), into
// the account and inventory databases named by the settings; tables that already have rows are left alone.
import { ConfigError, loadConfig } from '../lib/platform/config.js';
import { Database } from '../lib/platform/db/database.js';
import { createLogger } from '../lib/platform/observability/logger.js';
import { entities as accountEntities } from '../subgraphs/account/src/persistence/entities.js';
import { migrations as accountMigrations } from '../subgraphs/account/src/persistence/migrations/index.js';
import { DEMO_CUSTOMER, seedDemoCustomer } from '../subgraphs/account/src/use-cases/seed-demo.js';
import { entities as inventoryEntities } from '../subgraphs/inventory/src/persistence/entities.js';
import { migrations as inventoryMigrations } from '../subgraphs/inventory/src/persistence/migrations/index.js';
import { seedDemoCatalog } from '../subgraphs/inventory/src/use-cases/products.js';

async function main() {
  const config = loadConfig();
  const log = createLogger('seed', config.LOG_LEVEL);
  const account = await Database.open(config, { service: 'account', entities: accountEntities, migrations: accountMigrations }, log);
  const inventory = await Database.open(config, { service: 'inventory', entities: inventoryEntities, migrations: inventoryMigrations }, log);
  try {
    const customer = await seedDemoCustomer(account, config.STORE_CURRENCY);
    const products = await seedDemoCatalog(inventory, config.STORE_CURRENCY);
    console.log(customer ? `demo customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}` : 'customers exist already: demo customer not added');
    console.log(products ? `demo catalog: ${products} products` : 'products exist already: demo catalog not added');
  } finally {
    await account.close();
    await inventory.close();
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `Seeding failed: ${err.message}`);
  process.exit(1);
});
