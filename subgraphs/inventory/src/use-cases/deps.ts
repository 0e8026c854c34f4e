// What the inventory subgraph's use cases may depend on, built once per running service by
// defineSubgraph. Every use case is `name(deps, input)`: deps picks only what it uses from these (a
// step that runs inside its caller's transaction takes that Transaction instead), input is the
// call's own data.
import type { Config } from '../../../../lib/platform/config.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import type { Transact } from '../../../../lib/platform/messaging/transaction.js';
import type { Logger } from '../../../../lib/platform/observability/logger.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';

export interface InventoryDeps {
  db: Database;
  transact: Transact;
  config: Config;
  log: Logger;
}

export function inventoryDeps(rt: Runtime): InventoryDeps {
  return { db: rt.db, transact: rt.transact, config: rt.config, log: rt.log };
}
