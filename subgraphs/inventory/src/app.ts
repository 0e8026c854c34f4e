// The inventory subgraph: products, prices, stock, holds and fulfilment.
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import { defineSubgraph } from '../../../lib/platform/runtime/subgraph.js';
import { createContext } from './context.js';
import { internalRoutes } from './internal-api.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { inventoryDeps } from './use-cases/deps.js';
import { seedDemoCatalog } from './use-cases/products.js';
import { sweepStockHolds } from './use-cases/release-stock.js';
import { shipDueOrders } from './use-cases/ship-orders.js';

export const inventory = defineSubgraph(
  {
    name: 'inventory',
    entities,
    migrations,
    resolvers,
    deps: inventoryDeps,
    createContext,
    consumers: (rt, deps) => startConsumers(rt.inbox, deps),
    routes: internalRoutes,
    async onStart(rt, deps, jobs) {
      const { config } = rt;
      if (config.SEED_DEMO) {
        const n = await seedDemoCatalog(deps);
        if (n) rt.log.info(`demo catalog seeded: ${n} products`);
      }
      jobs.every('sweep stock holds', config.SWEEP_INTERVAL, () => sweepStockHolds(deps, { now: new Date() }));
      // Manual fulfilment: paid orders wait for an admin's markShipped.
      if (config.FULFILMENT_MODE === 'auto')
        jobs.every('fulfilment', Math.min(250, Math.max(20, config.FULFILMENT_DELAY_MS)), () => shipDueOrders(deps, { now: new Date() }));
    },
  },
  subgraphTypeDefs('inventory'),
);
