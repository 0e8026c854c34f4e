// product.changed, as the order subgraph's cart prices a product: written to the outbox in the
// transaction that writes the product, and by the backfill migration for products made before.
import { newEvent, type NewEvent } from '../../../../lib/contracts/events.js';
import type { ProductRow } from '../persistence/entities.js';

/**
 * Products have no version column: nothing changes a product's name, price or shipping once it is
 * created, so each product has one version. A change of price will need a real version here.
 */
export const PRODUCT_VERSION = 1;

export type ProductTerms = Pick<ProductRow, 'id' | 'name' | 'price' | 'currency' | 'requiresShipping'>;

export function productChanged(product: ProductTerms): NewEvent<'product.changed'> {
  const { id, name, price, currency, requiresShipping } = product;
  return newEvent('product.changed', id, { productId: id, name, price, currency, requiresShipping }, PRODUCT_VERSION);
}
