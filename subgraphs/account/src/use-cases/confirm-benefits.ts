// order.created: the order was written, so its held coupon and credit are confirmed. A hold the
// sweeper already expired is taken again; when that is no longer possible, account.hold_lost
// tells the order subgraph to cancel the order.
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import { newEvent, type EventEnvelope } from '../../../../lib/contracts/events.js';
import { enqueue } from '../../../../lib/platform/messaging/outbox.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import { BenefitHoldEntity } from '../persistence/entities.js';
import { takeBenefits } from './hold-benefits.js';

export async function confirmBenefits(em: EntityManager, db: Database, event: EventEnvelope<'order.created'>, holdTtlMs: number): Promise<Outcome> {
  const { orderId, customerId, couponCode, storeCreditApplied, subtotal, currency } = event.data;
  const confirmed = await em.update(BenefitHoldEntity, { orderId, status: 'HELD' }, { status: 'CONFIRMED' });
  if (confirmed.affected) return 'applied';
  const hold = await em.findOneBy(BenefitHoldEntity, { orderId });
  if (hold && hold.status !== 'EXPIRED') return 'stale'; // already confirmed, final or released
  if (!couponCode && storeCreditApplied === 0) return 'stale'; // nothing was ever held
  try {
    // takeBenefits checks everything before its first write, so a refusal leaves nothing to undo.
    await takeBenefits(em, db, { orderId, customerId, couponCode, useStoreCredit: false, subtotal, currency }, new Date(), storeCreditApplied || undefined);
  } catch (err) {
    const code = err instanceof GraphQLError ? err.extensions.code : null;
    if (code !== 'COUPON_INVALID' && code !== 'CONFLICT') throw err; // a deadlock or outage: retry the event
    await enqueue(em, newEvent('account.hold_lost', orderId, { orderId, reason: 'the coupon or store credit held for this order is no longer available' }));
    return 'applied';
  }
  const now = new Date();
  const row = {
    orderId,
    customerId,
    couponCode,
    discount: event.data.discount,
    credit: storeCreditApplied,
    status: 'CONFIRMED' as const,
    expiresAt: new Date(now.getTime() + holdTtlMs),
    createdAt: now,
  };
  if (hold) await em.update(BenefitHoldEntity, { orderId }, row);
  else await em.insert(BenefitHoldEntity, row);
  return 'applied';
}
