// Thin: the admin webhook fields; parse, call a use case, map rows to the schema.
import { requireAdmin } from '../../../../lib/platform/auth.js';
import type { Resolvers } from '../generated/graphql.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints, redeliverWebhook } from '../use-cases/webhook-endpoints.js';

export const webhookResolvers: Resolvers = {
  Query: {
    webhookEndpoints: (_p, _a, ctx) => (requireAdmin(ctx.user), listWebhookEndpoints(ctx.deps)),
    webhookDeliveries: (_p, { endpointId, first, after }, ctx) => (requireAdmin(ctx.user), listWebhookDeliveries(ctx.deps, { endpointId, first, after })),
  },
  Mutation: {
    createWebhookEndpoint: (_p, { input }, ctx) => createWebhookEndpoint(ctx.deps, { ...input, actorId: requireAdmin(ctx.user).id }),
    deleteWebhookEndpoint: (_p, { id }, ctx) => deleteWebhookEndpoint(ctx.deps, { id, actorId: requireAdmin(ctx.user).id }),
    redeliverWebhook: (_p, { deliveryId }, ctx) => redeliverWebhook(ctx.deps, { deliveryId, actorId: requireAdmin(ctx.user).id }),
  },
};
