// What the order subgraph's use cases may depend on, built once per running service by
// defineSubgraph and shared by every request and job. Every use case is
// `name(deps, input)`: deps picks only what it uses from these (a step that runs inside its
// caller's transaction takes that Transaction instead), input is the call's own data.
import type { TokenService } from '../../../../lib/platform/auth.js';
import { serviceUrl, type Config } from '../../../../lib/platform/config.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import type { Transact } from '../../../../lib/platform/messaging/transaction.js';
import type { Logger } from '../../../../lib/platform/observability/logger.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import type { TaxCalculator } from '../domain/tax.js';
import { RateTableTaxCalculator } from '../persistence/rate-table-tax.js';

/** Where the try step reaches the subgraphs that hold stock, coupons and credit. */
export interface TryStepUrls {
  inventory: string;
  account: string;
}

export interface OrderDeps {
  db: Database;
  transact: Transact;
  config: Config;
  log: Logger;
  tryStep: TryStepUrls;
  /** The built-in rate table; a provider such as Stripe Tax would be another TaxCalculator here. */
  taxCalculator: TaxCalculator;
  /** Signs the order tokens a checkout hands guests. */
  tokens: TokenService;
}

export function orderDeps(rt: Runtime): OrderDeps {
  const tryStep = { inventory: serviceUrl(rt.config, 'inventory'), account: serviceUrl(rt.config, 'account') };
  return { db: rt.db, transact: rt.transact, config: rt.config, log: rt.log, tryStep, taxCalculator: new RateTableTaxCalculator(rt.db), tokens: rt.tokens };
}
