// The payment subgraph: Stripe Checkout Sessions, the Stripe webhook, the payment log, refunds.
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import type Stripe from 'stripe';
import { defineSubgraph, type Runtime } from '../../../lib/platform/runtime/service.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/001-create-schema.js';
import { resolvers } from './resolvers/index.js';
import { createStripe } from './stripe/client.js';
import { webhookRoute } from './stripe/webhook-route.js';

/** One Stripe client per running service, shared by its consumers and its webhook route. */
const clients = new WeakMap<Runtime, Stripe>();
function stripeOf(rt: Runtime): Stripe {
  let client = clients.get(rt);
  if (!client) clients.set(rt, (client = createStripe(rt.config)));
  return client;
}

export const payment = defineSubgraph(
  {
    name: 'payment',
    entities,
    migrations,
    resolvers,
    createContext,
    consumers: (rt) => startConsumers(rt, stripeOf(rt)),
    rawRoutes: (rt) => webhookRoute(rt, stripeOf(rt)),
  },
  subgraphTypeDefs('payment'),
);
