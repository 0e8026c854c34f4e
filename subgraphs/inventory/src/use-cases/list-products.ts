// The catalog, a page at a time in sku order, behind an opaque cursor.
import { badInput } from '../../../../lib/contracts/errors.js';
import { MAX_PAGE, decodeCursor, encodeCursor } from '../domain/products.js';
import type { ProductPage } from '../persistence/entities.js';
import { countProducts, productsAfter } from '../persistence/products.js';
import type { InventoryDeps } from './deps.js';

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

export async function listProducts({ db }: Pick<InventoryDeps, 'db'>, { first, after }: PageRequest): Promise<ProductPage> {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badInput(`first must be 1 to ${MAX_PAGE}`);
  // One row past the page tells whether another page follows.
  const rows = await productsAfter(db.manager, after ? decodeCursor(after) : null, size + 1);
  const nodes = rows.slice(0, size);
  return {
    nodes,
    // Counting the catalog costs a scan: totalCount runs it only when a client asks for it.
    count: () => countProducts(db.manager),
    pageInfo: { hasNextPage: rows.length > size, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.sku) : null },
  };
}
