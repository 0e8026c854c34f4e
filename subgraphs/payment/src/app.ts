// The payment subgraph: Stripe Checkout Sessions, the Stripe webhook, the payment log, refunds.
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import { defineSubgraph } from '../../../lib/platform/runtime/subgraph.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { createStripe } from './stripe/client.js';
import { webhookRoute } from './stripe/webhook-route.js';
import { paymentDeps } from './use-cases/deps.js';
import { resumeStalledRefunds } from './use-cases/resume-refunds.js';

export const payment = defineSubgraph(
  {
    name: 'payment',
    entities,
    migrations,
    resolvers,
    // One Stripe client per running service, shared by its consumers and its webhook route.
    deps: (rt) => paymentDeps(rt, createStripe(rt.config)),
    createContext,
    consumers: (rt, deps) => startConsumers(rt.inbox, deps),
    rawRoutes: webhookRoute,
    async onStart(rt, deps, jobs) {
      jobs.every('resume stalled refunds', rt.config.SWEEP_INTERVAL, () => resumeStalledRefunds(deps, { now: new Date() }));
    },
  },
  subgraphTypeDefs('payment'),
);
