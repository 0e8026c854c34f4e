// cancelOrder by the owner or an admin, and the sweeper that cancels orders left unpaid.
import type { AuthUser } from '../../../../lib/platform/auth.js';
import { canSee } from '../../../../lib/platform/auth.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { badInput, notFound, userError } from '../../../../lib/platform/errors.js';
import type { Runtime } from '../../../../lib/platform/runtime/service.js';
import { OrderEntity, type OrderRow } from '../persistence/entities.js';
import { transitionIn } from './transition.js';

export async function cancelOrder(rt: Runtime, user: AuthUser, orderId: string, reason: string | null | undefined): Promise<OrderRow> {
  if (reason && reason.length > 500) throw badInput('reason must be at most 500 characters');
  const result = await rt.db.transaction(async (em) => {
    const order = await em.findOneBy(OrderEntity, { id: orderId });
    // Someone else's order reads exactly as one that does not exist.
    if (!order || !canSee(user, order.customerId)) throw notFound('Order');
    return transitionIn(
      em,
      rt.db.dialect,
      orderId,
      'CANCELLED',
      reason?.trim() || (user.role === 'ADMIN' && user.id !== order.customerId ? 'cancelled by an admin' : 'cancelled by the customer'),
    );
  });
  if (result.kind === 'missing') throw notFound('Order');
  if (result.kind === 'illegal') throw userError('CONFLICT', `A ${result.order.status} order cannot be cancelled`, { status: result.order.status });
  return result.order;
}

/** Cancels orders still unpaid PAYMENT_WINDOW plus a grace period after they were placed. */
export async function cancelUnpaidOrders(rt: Runtime, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - rt.config.PAYMENT_WINDOW - rt.config.PAYMENT_GRACE);
  const stale = await rt.db.manager
    .createQueryBuilder(OrderEntity, 'o')
    .select('o.id', 'id')
    .where('o.status IN (:...open) AND o.createdAt < :cutoff', { open: ['PENDING', 'WAITING_FOR_PAYMENT'], cutoff: sqlTime(cutoff) })
    .limit(500)
    .getRawMany<{ id: string }>();
  let cancelled = 0;
  for (const { id } of stale) {
    const r = await rt.db.transaction((em) => transitionIn(em, rt.db.dialect, id, 'CANCELLED', 'payment window passed'));
    if (r.kind === 'applied') cancelled++;
  }
  return cancelled;
}
