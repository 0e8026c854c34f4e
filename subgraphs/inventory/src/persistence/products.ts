// Catalog reads for paging.
import type { EntityManager } from 'typeorm';
import { ProductEntity, type ProductRow } from './entities.js';

/** Up to `limit` products in sku order, after `afterSku` when given. */
export function productsAfter(em: EntityManager, afterSku: string | null, limit: number): Promise<ProductRow[]> {
  const query = em.createQueryBuilder(ProductEntity, 'p').orderBy('p.sku', 'ASC').take(limit);
  if (afterSku !== null) query.where('p.sku > :sku', { sku: afterSku });
  return query.getMany();
}

export function countProducts(em: EntityManager): Promise<number> {
  return em.count(ProductEntity);
}
