// The payment subgraph: Stripe Checkout Sessions, the Stripe webhook, the payment log, refunds.
import { subgraphTypeDefs } from '../../../lib/schema.js';
import { defineSubgraph } from '../../../lib/service.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/001-create-schema.js';
import { resolvers } from './resolvers/index.js';
import { createStripe } from './stripe/client.js';
import { webhookRoute } from './stripe/webhook-route.js';

export const payment = defineSubgraph(
  {
    name: 'payment',
    entities,
    migrations,
    resolvers,
    createContext,
    consumers: (rt) => startConsumers(rt, createStripe(rt.config)),
    rawRoutes: (rt) => webhookRoute(rt, createStripe(rt.config)),
  },
  subgraphTypeDefs('payment'),
);
