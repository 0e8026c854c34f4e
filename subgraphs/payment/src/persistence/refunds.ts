// The refund reservation: one conditional UPDATE raises a payment's refund_reserved only while the
// sum stays within what was paid, so two refunds racing can never both pass (whichever database).
import type { EntityManager } from 'typeorm';
import { PaymentEntity, RefundEntity, type RefundRow } from './entities.js';

/** Reserves amount on the payment, if it is still paid and the refunds stay within its amount. */
export async function reserveRefund(em: EntityManager, paymentId: string, amount: number): Promise<boolean> {
  const changed = await em
    .createQueryBuilder()
    .update(PaymentEntity)
    .set({ refundReserved: () => 'refund_reserved + :amount', updatedAt: new Date() })
    .where("id = :paymentId AND status = 'SUCCEEDED' AND refund_reserved + :amount <= amount", { paymentId, amount })
    .execute();
  return !!changed.affected;
}

/** Gives a failed refund's amount back to what may be refunded. */
export async function releaseRefund(em: EntityManager, paymentId: string, amount: number): Promise<void> {
  await em
    .createQueryBuilder()
    .update(PaymentEntity)
    .set({ refundReserved: () => 'refund_reserved - :amount', updatedAt: new Date() })
    .where('id = :paymentId AND refund_reserved >= :amount', { paymentId, amount })
    .execute();
}

/** Our row for a Stripe refund: by the row id we put in its metadata, else by Stripe's id. */
export async function refundRowFor(em: EntityManager, refund: { id: string; metadata?: Record<string, string> | null }): Promise<RefundRow | null> {
  const ours = refund.metadata?.refundId;
  if (ours) return em.findOneBy(RefundEntity, { id: ours });
  return em.findOneBy(RefundEntity, { stripeRefundId: refund.id });
}

/** Counts a refund Stripe has already made (the cancellation's) against the payment, unconditionally. */
export async function countRefundMade(em: EntityManager, paymentId: string, amount: number): Promise<void> {
  await em
    .createQueryBuilder()
    .update(PaymentEntity)
    .set({ refundReserved: () => 'refund_reserved + :amount' })
    .where('id = :paymentId', { paymentId, amount })
    .execute();
}
