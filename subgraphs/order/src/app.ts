// The order subgraph: carts, orders, their state machine, and the checkout.
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import { defineSubgraph } from '../../../lib/platform/runtime/subgraph.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { startLiveStatus } from './subscriptions/live-status.js';
import { cancelUnpaidOrders } from './use-cases/cancel-order.js';
import { deleteIdleCarts } from './use-cases/carts.js';
import { orderDeps } from './use-cases/deps.js';
import { seedShippingMethods } from './use-cases/shipping-methods.js';
import { sendDueWebhooks } from './use-cases/send-webhooks.js';
import { writeWebhookDeliveries } from './use-cases/webhook-fanout.js';

export const order = defineSubgraph(
  {
    name: 'order',
    entities,
    migrations,
    resolvers,
    deps: orderDeps,
    createContext,
    consumers: (rt) => startConsumers(rt.inbox),
    withinTransaction: writeWebhookDeliveries,
    live: startLiveStatus,
    async onStart(rt, deps, jobs) {
      if (rt.config.SEED_DEMO) {
        const n = await seedShippingMethods(deps);
        if (n) rt.log.info(`demo shipping methods seeded: ${n}`);
      }
      jobs.every('cancel unpaid orders', rt.config.SWEEP_INTERVAL, () => cancelUnpaidOrders(deps, { now: new Date() }));
      jobs.every('delete idle carts', rt.config.SWEEP_INTERVAL, () => deleteIdleCarts(deps, { now: new Date() }));
      // At most a second late, and sooner when retries are shorter (tests).
      jobs.every('send webhooks', Math.min(1000, rt.config.WEBHOOK_RETRY_BASE_DELAY), () => sendDueWebhooks(deps, { now: new Date() }));
    },
  },
  subgraphTypeDefs('order'),
);
