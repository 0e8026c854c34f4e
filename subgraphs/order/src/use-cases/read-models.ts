// The read models a cart is priced from, kept by catalog and account events: each keeps the
// newest version it has seen, so a late or repeated event changes nothing ('stale').
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { CatalogCouponEntity, CatalogProductEntity, CustomerCreditEntity } from '../persistence/cart-entities.js';

/** Writes row unless what is stored has a newer version; versionless rows always overwrite. */
async function keepNewest<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, key: Partial<T>, row: T, version?: number): Promise<Outcome> {
  const stored = await em.findOneBy(entity, key);
  if (!stored) {
    await em.insert(entity, row);
    return 'applied';
  }
  if (version !== undefined && (stored as unknown as { version: number }).version > version) return 'stale';
  await em.update(entity, key, row);
  return 'applied';
}

export function applyProductChanged({ em }: Transaction, { data, sequence }: EventEnvelope<'product.changed'>): Promise<Outcome> {
  return keepNewest(em, CatalogProductEntity, { productId: data.productId }, { ...data, version: sequence }, sequence);
}

export function applyCouponChanged({ em }: Transaction, { data }: EventEnvelope<'coupon.changed'>): Promise<Outcome> {
  const row = { ...data, expiresAt: data.expiresAt ? new Date(data.expiresAt) : null };
  return keepNewest(em, CatalogCouponEntity, { code: data.code }, row);
}

export function applyCreditChanged({ em }: Transaction, { data, sequence }: EventEnvelope<'customer.credit_changed'>): Promise<Outcome> {
  const row = { customerId: data.customerId, storeCredit: data.storeCredit, version: sequence };
  return keepNewest(em, CustomerCreditEntity, { customerId: data.customerId }, row, sequence);
}
