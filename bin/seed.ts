// npm run seed: the demo catalog, customer and coupon, on demand (whatever SEED_DEMO says), into
// the account and inventory databases named by the settings; tables that already have rows are left alone.
import { ConfigError, loadConfig } from '../lib/platform/config.js';
import { createLogger } from '../lib/platform/observability/logger.js';
import { DEMO_CUSTOMER, seedAccountDemo } from '../subgraphs/account/src/seed.js';
import { seedInventoryDemo } from '../subgraphs/inventory/src/seed.js';
import { seedOrderDemo } from '../subgraphs/order/src/seed.js';

async function main() {
  const config = loadConfig();
  const log = createLogger('seed', config.LOG_LEVEL);
  const customer = await seedAccountDemo(config, log);
  const products = await seedInventoryDemo(config, log);
  console.log(customer ? `demo customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}` : 'customers exist already: demo customer not added');
  console.log(products ? `demo catalog: ${products} products` : 'products exist already: demo catalog not added');
  console.log((await seedOrderDemo(config, log)) ? 'demo shipping methods: STANDARD, EXPRESS' : 'shipping methods exist already: demo methods not added');
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `Seeding failed: ${err.message}`);
  process.exit(1);
});
