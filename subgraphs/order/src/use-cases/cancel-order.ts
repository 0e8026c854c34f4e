// cancelOrder by the owner or an admin, and the sweeper that cancels orders left unpaid.
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { canSee } from '../../../../lib/platform/auth.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { OrderEntity, type OrderRow } from '../persistence/entities.js';
import type { OrderDeps } from './deps.js';
import { transitionIn } from './transition.js';

export interface CancelOrderInput {
  user: AuthUser;
  orderId: string;
  reason?: string | null;
}

export async function cancelOrder({ transact }: Pick<OrderDeps, 'transact'>, { user, orderId, reason }: CancelOrderInput): Promise<OrderRow> {
  if (reason && reason.length > 500) throw badInput('reason must be at most 500 characters');
  const result = await transact(async (tx) => {
    const order = await tx.em.findOneBy(OrderEntity, { id: orderId });
    // Someone else's order reads exactly as one that does not exist.
    if (!order || !canSee(user, order.customerId)) throw notFound('Order');
    const byAdmin = user.role === 'ADMIN' && user.id !== order.customerId;
    return transitionIn(tx, { orderId, to: 'CANCELLED', reason: reason?.trim() || (byAdmin ? 'cancelled by an admin' : 'cancelled by the customer') });
  });
  if (result.kind === 'missing') throw notFound('Order');
  if (result.kind === 'illegal') throw userError('CONFLICT', `A ${result.order.status} order cannot be cancelled`, { status: result.order.status });
  return result.order;
}

/**
 * Cancels orders still unpaid PAYMENT_WINDOW plus a grace period after they were placed, and those
 * whose delayed payment (a bank debit) has not arrived ASYNC_PAYMENT_WINDOW after it started.
 */
export async function cancelUnpaidOrders({ db, transact, config }: Pick<OrderDeps, 'db' | 'transact' | 'config'>, { now }: { now: Date }): Promise<number> {
  const cutoff = new Date(now.getTime() - config.PAYMENT_WINDOW - config.PAYMENT_GRACE);
  const asyncCutoff = new Date(now.getTime() - config.ASYNC_PAYMENT_WINDOW);
  const stale = await db.manager
    .createQueryBuilder(OrderEntity, 'o')
    .select('o.id', 'id')
    .where('o.status IN (:...open)', { open: ['PENDING', 'WAITING_FOR_PAYMENT'] })
    .andWhere('((o.paymentProcessingAt IS NULL AND o.createdAt < :cutoff) OR o.paymentProcessingAt < :asyncCutoff)', {
      cutoff: sqlTime(cutoff),
      asyncCutoff: sqlTime(asyncCutoff),
    })
    .limit(500)
    .getRawMany<{ id: string }>();
  let cancelled = 0;
  for (const { id } of stale) {
    const r = await transact((tx) => transitionIn(tx, { orderId: id, to: 'CANCELLED', reason: 'payment window passed' }));
    if (r.kind === 'applied') cancelled++;
  }
  return cancelled;
}
