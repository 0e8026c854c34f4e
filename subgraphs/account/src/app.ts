// The account subgraph: customers, sign-in, store credit, coupons, loyalty points.
import { defineSubgraph } from '../../../lib/platform/runtime/subgraph.js';
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import { createContext } from './context.js';
import { internalRoutes } from './internal-api.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { accountDeps } from './use-cases/deps.js';
import { sweepBenefitHolds } from './use-cases/release-benefits.js';
import { DEMO_CUSTOMER, seedDemoCustomer } from './use-cases/seed-demo.js';
import { sweepSignInCounters } from './use-cases/sign-in-counters.js';
import { ensureAdmin } from './use-cases/sign-up.js';

export const account = defineSubgraph(
  {
    name: 'account',
    entities,
    migrations,
    resolvers,
    deps: accountDeps,
    createContext,
    consumers: (rt, deps) => startConsumers(rt.inbox, deps),
    routes: internalRoutes,
    async onStart(rt, deps, jobs) {
      const { config } = rt;
      if (config.SEED_DEMO && (await seedDemoCustomer(deps))) {
        rt.log.info(`demo customer seeded: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`);
      }
      await ensureAdmin(deps, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
      jobs.every('sweep benefit holds', config.SWEEP_INTERVAL, () => sweepBenefitHolds(deps, { now: new Date() }));
      jobs.every('sweep sign-in counters', config.SWEEP_INTERVAL, () => sweepSignInCounters(deps, { now: new Date() }));
    },
  },
  subgraphTypeDefs('account'),
);
