// A refund whose request died between its reservation and Stripe's answer (the process stopped,
// the connection dropped) would keep its amount reserved and never be made. The sweeper asks
// Stripe again for each such row, with the row's own idempotency key: Stripe answers with the
// refund it made, or makes it now; a refusal fails the row and frees its amount.
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { PaymentEntity, RefundEntity } from '../persistence/entities.js';
import type { PaymentDeps } from './deps.js';
import { carryOutRefund } from './refund-order.js';

/** Longer than any live refundOrder request takes (its Stripe calls time out well before). */
export const STALLED_AFTER_MS = 2 * 60_000;

/** Resumes stalled admin refunds; returns how many were asked again. */
export async function resumeStalledRefunds(deps: Pick<PaymentDeps, 'db' | 'transact' | 'stripe' | 'log' | 'metrics'>, { now }: { now: Date }): Promise<number> {
  const stalled = await deps.db.manager
    .createQueryBuilder(RefundEntity, 'r')
    .where("r.status = 'PENDING' AND r.kind = 'ADMIN' AND r.stripeRefundId IS NULL AND r.updatedAt < :cutoff", {
      cutoff: sqlTime(new Date(now.getTime() - STALLED_AFTER_MS)),
    })
    .orderBy('r.updatedAt', 'ASC')
    .limit(50)
    .getMany();
  for (const row of stalled) {
    const payment = await deps.db.manager.findOneByOrFail(PaymentEntity, { id: row.paymentId });
    await carryOutRefund(deps, payment, row).catch((err: Error) => deps.log.warn({ err: err.message, refundId: row.id }, 'stalled refund not resumed yet'));
  }
  return stalled.length;
}
