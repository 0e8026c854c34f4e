// Thin: parse input, call a use case, map rows to the schema.
import { requireAdmin } from '../../../../lib/platform/auth.js';
import { badInput } from '../../../../lib/platform/errors.js';
import { money } from '../../../../lib/contracts/money.js';
import { MAX_PAGE, decodeCursor, encodeCursor } from '../domain/products.js';
import type { Resolvers } from '../generated/graphql.js';
import { ProductEntity } from '../persistence/entities.js';
import { createProduct, restock } from '../use-cases/products.js';

export const resolvers: Resolvers = {
  Query: {
    product: (_p, { id }, ctx) => ctx.products.load(id),
    products: async (_p, { first, after }, ctx) => {
      const size = first ?? 20;
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badInput(`first must be 1 to ${MAX_PAGE}`);
      const qb = ctx.runtime.db.manager
        .createQueryBuilder(ProductEntity, 'p')
        .orderBy('p.sku', 'ASC')
        .take(size + 1);
      if (after) qb.where('p.sku > :sku', { sku: decodeCursor(after) });
      const rows = await qb.getMany();
      const nodes = rows.slice(0, size);
      for (const n of nodes) ctx.products.prime(n.id, n);
      // Counting the catalog costs a scan: totalCount runs it only when a client asks for it.
      return {
        nodes,
        count: () => ctx.runtime.db.manager.count(ProductEntity),
        pageInfo: { hasNextPage: rows.length > size, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.sku) : null },
      };
    },
  },
  Mutation: {
    createProduct: (_p, { input }, ctx) => {
      requireAdmin(ctx.user);
      return createProduct(ctx.runtime.db, ctx.runtime.config.STORE_CURRENCY, input);
    },
    restock: (_p, { productId, quantity }, ctx) => {
      requireAdmin(ctx.user);
      return restock(ctx.runtime.db, productId, quantity);
    },
  },
  ProductConnection: {
    totalCount: (page) => page.count(),
  },
  Product: {
    __resolveReference: (ref, ctx) => ctx.products.load(ref.id),
    price: (p) => money(p.price, p.currency),
    available: (p) => Math.max(0, p.stockOnHand - p.held),
  },
};
