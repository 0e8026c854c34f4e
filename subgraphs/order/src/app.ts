// The order subgraph: orders, their state machine, and the checkout.
import { serviceUrl } from '../../../lib/platform/config.js';
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import { defineSubgraph } from '../../../lib/platform/runtime/service.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { cancelUnpaidOrders } from './use-cases/cancel-order.js';

export const order = defineSubgraph(
  {
    name: 'order',
    entities,
    migrations,
    resolvers,
    createContext: (rt, user) => createContext(rt, { inventory: serviceUrl(rt.config, 'inventory'), account: serviceUrl(rt.config, 'account') }, user),
    consumers: startConsumers,
    async onStart(rt, jobs) {
      jobs.every('cancel unpaid orders', rt.config.SWEEP_INTERVAL, () => cancelUnpaidOrders(rt));
    },
  },
  subgraphTypeDefs('order'),
);
