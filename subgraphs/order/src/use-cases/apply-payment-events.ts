// The payment and fulfilment events that move an order, each a transition through the state
// machine. An event that is illegal for the order's current state is a logged no-op ('stale').
import type { EntityManager } from 'typeorm';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import { enqueue } from '../../../../lib/platform/messaging/outbox.js';
import type { Dialect } from '../../../../lib/platform/db/database.js';
import { cancelledEvent, transitionIn } from './transition.js';

const asOutcome = (r: Awaited<ReturnType<typeof transitionIn>>): Outcome => (r.kind === 'applied' ? 'applied' : 'stale');

/** payment.checkout_created: the customer can pay now. */
export async function markWaitingForPayment(em: EntityManager, dialect: Dialect, event: EventEnvelope<'payment.checkout_created'>): Promise<Outcome> {
  return asOutcome(await transitionIn(em, dialect, event.data.orderId, 'WAITING_FOR_PAYMENT', null));
}

/**
 * payment.succeeded: PAID from WAITING_FOR_PAYMENT, or from PENDING when the checkout step was
 * not seen yet. For an order already cancelled, order.cancelled goes out again so that payment
 * refunds the money: we never keep money for an order we won't fill.
 */
export async function markPaid(em: EntityManager, dialect: Dialect, event: EventEnvelope<'payment.succeeded'>): Promise<Outcome> {
  const result = await transitionIn(em, dialect, event.data.orderId, 'PAID', 'payment received');
  if (result.kind === 'illegal' && result.order.status === 'CANCELLED') {
    await enqueue(em, cancelledEvent(result.order, result.order.cancellationReason ?? 'cancelled'));
    return 'applied';
  }
  return asOutcome(result);
}

/** payment.expired, payment.failed, inventory.hold_lost, account.hold_lost: cancel unless already paid. */
export async function cancelFromEvent(em: EntityManager, dialect: Dialect, orderId: string, reason: string): Promise<Outcome> {
  return asOutcome(await transitionIn(em, dialect, orderId, 'CANCELLED', reason));
}

/** fulfilment.shipped: the order is done. */
export async function markFinished(em: EntityManager, dialect: Dialect, event: EventEnvelope<'fulfilment.shipped'>): Promise<Outcome> {
  return asOutcome(await transitionIn(em, dialect, event.data.orderId, 'FINISHED', 'shipped'));
}
