// What the payment subgraph's use cases may depend on, built from the running service and its one
// Stripe client. Every use case is `name(deps, input)`: deps picks only what it uses from these (a
// step that runs inside the inbox's transaction takes that Transaction instead), input is the
// call's own data.
import type Stripe from 'stripe';
import type { Config } from '../../../../lib/platform/config.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import type { Transact } from '../../../../lib/platform/messaging/transaction.js';
import type { Logger } from '../../../../lib/platform/observability/logger.js';
import type { ServiceMetrics } from '../../../../lib/platform/observability/metrics.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';

export interface PaymentDeps {
  db: Database;
  transact: Transact;
  config: Config;
  log: Logger;
  stripe: Stripe;
  metrics: Pick<ServiceMetrics, 'refundFailures'>;
}

export function paymentDeps(rt: Runtime, stripe: Stripe): PaymentDeps {
  return { db: rt.db, transact: rt.transact, config: rt.config, log: rt.log, stripe, metrics: rt.metrics };
}
