// The payment subgraph: Stripe Checkout Sessions, the Stripe webhook, the payment log, refunds.
import { subgraphTypeDefs } from '../../../lib/platform/schema.js';
import type { Runtime } from '../../../lib/platform/runtime/runtime.js';
import { defineSubgraph } from '../../../lib/platform/runtime/subgraph.js';
import { createContext } from './context.js';
import { startConsumers } from './messaging/consumers.js';
import { entities } from './persistence/entities.js';
import { migrations } from './persistence/migrations/001-create-schema.js';
import { resolvers } from './resolvers/index.js';
import { createStripe } from './stripe/client.js';
import { webhookRoute } from './stripe/webhook-route.js';
import { paymentDeps, type PaymentDeps } from './use-cases/deps.js';

/** One set of deps (and so one Stripe client) per running service, shared by its consumers and its webhook route. */
const depsByRuntime = new WeakMap<Runtime, PaymentDeps>();
function depsOf(rt: Runtime): PaymentDeps {
  let deps = depsByRuntime.get(rt);
  if (!deps) depsByRuntime.set(rt, (deps = paymentDeps(rt, createStripe(rt.config))));
  return deps;
}

export const payment = defineSubgraph(
  {
    name: 'payment',
    entities,
    migrations,
    resolvers,
    createContext,
    consumers: (rt) => startConsumers(rt.inbox, depsOf(rt)),
    rawRoutes: (rt) => webhookRoute(rt, depsOf(rt).stripe),
  },
  subgraphTypeDefs('payment'),
);
