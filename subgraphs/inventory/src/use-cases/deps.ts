// What the inventory subgraph's use cases may depend on, built from the running service. Every use
// case is `name(deps, input)`: deps picks only what it uses from these, input is the call's own data.
import type { Config } from '../../../../lib/platform/config.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import type { Transact } from '../../../../lib/platform/messaging/transaction.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';

export interface InventoryDeps {
  db: Database;
  transact: Transact;
  config: Config;
}

export function inventoryDeps(rt: Runtime): InventoryDeps {
  return { db: rt.db, transact: rt.transact, config: rt.config };
}
