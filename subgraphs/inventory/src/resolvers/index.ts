// Thin: parse input, call a use case, map rows to the schema. Order.shipment is contributed here.
import { DateTimeResolver } from 'graphql-scalars';
import { canSeeOrder, requireAdmin } from '../../../../lib/platform/auth.js';
import { money } from '../../../../lib/contracts/money.js';
import type { Resolvers } from '../generated/graphql.js';
import { listProducts } from '../use-cases/list-products.js';
import { markShipped } from '../use-cases/mark-shipped.js';
import { createProduct, restock } from '../use-cases/products.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: {
    product: (_p, { id }, ctx) => ctx.products.load(id),
    products: async (_p, args, ctx) => {
      const page = await listProducts(ctx.deps, args);
      // A Product resolved later in the same request (a federated reference) needs no query.
      for (const n of page.nodes) ctx.products.prime(n.id, n);
      return page;
    },
  },
  Mutation: {
    createProduct: (_p, { input }, ctx) => createProduct(ctx.deps, { ...input, actorId: requireAdmin(ctx.user).id }),
    restock: (_p, { productId, quantity }, ctx) => restock(ctx.deps, { actorId: requireAdmin(ctx.user).id, productId, quantity }),
    // Federation resolves the rest of the Order from the order subgraph.
    markShipped: (_p, args, ctx) => markShipped(ctx.deps, { ...args, actorId: requireAdmin(ctx.user).id }),
  },
  ProductConnection: {
    totalCount: (page) => page.count(),
  },
  Product: {
    __resolveReference: (ref, ctx) => ctx.products.load(ref.id),
    price: (p) => money(p.price, p.currency),
    available: (p) => Math.max(0, p.stockOnHand - p.held),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    // A shipment from before customers were kept on it has no owner to match: admins only.
    shipment: async (o, _a, ctx) => {
      const shipment = await ctx.shipmentsByOrder.load(o.id);
      return shipment && canSeeOrder(ctx.user, { orderId: shipment.orderId, customerId: shipment.customerId ?? '' }) ? shipment : null;
    },
  },
};
