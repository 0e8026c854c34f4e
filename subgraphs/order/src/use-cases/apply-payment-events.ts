// The payment and fulfilment events that move an order, each a transition through the state
// machine in the inbox's transaction. An event that is illegal for the order's current state is a
// logged no-op ('stale'), except that payment.checkout_created still leaves its payment link.
import type { EventPayloads } from '../../../../lib/contracts/events.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { OPEN_STATUSES } from '../domain/checkout-request.js';
import { OrderEntity } from '../persistence/entities.js';
import { linkColumns } from '../domain/payment-link.js';
import { cancelledEvent, transitionIn, type TransitionResult } from './transition.js';

const asOutcome = (r: TransitionResult): Outcome => (r.kind === 'applied' ? 'applied' : 'stale');

/**
 * payment.checkout_created: the customer can pay now. The order keeps the payment's link (its
 * status events and live pushes carry it), also when it has moved on already (paid before this
 * event arrived, cancelled while the session was made, or announced again by payment's backfill):
 * its later pushes then carry it.
 */
export async function markWaitingForPayment(tx: Transaction, event: EventPayloads['payment.checkout_created']): Promise<Outcome> {
  const paymentLink = { paymentId: event.paymentId, sessionId: event.sessionId, checkoutUrl: event.checkoutUrl };
  const result = await transitionIn(tx, { orderId: event.orderId, to: 'WAITING_FOR_PAYMENT', reason: null, paymentLink });
  if (result.kind !== 'illegal' || result.order.paymentId) return asOutcome(result);
  const { paymentId, checkoutSessionId, checkoutUrl } = linkColumns(paymentLink);
  await queueWrite(tx.em, 'UPDATE orders SET payment_id = ?, checkout_session_id = ?, checkout_url = ? WHERE id = ?', [
    paymentId,
    checkoutSessionId,
    checkoutUrl,
    event.orderId,
  ]);
  return 'applied';
}

/**
 * payment.succeeded: PAID from WAITING_FOR_PAYMENT, or from PENDING when the checkout step was
 * not seen yet. For an order already cancelled, order.cancelled goes out again so that payment
 * refunds the money: we never keep money for an order we won't fill.
 */
export async function markPaid(tx: Transaction, { orderId }: { orderId: string }): Promise<Outcome> {
  const result = await transitionIn(tx, { orderId, to: 'PAID', reason: 'payment received' });
  if (result.kind === 'illegal' && result.order.status === 'CANCELLED') {
    await tx.enqueue(cancelledEvent(result.order, result.order.cancellationReason ?? 'cancelled'));
    return 'applied';
  }
  return asOutcome(result);
}

/** payment.expired, payment.failed, inventory.hold_lost, account.hold_lost: cancel unless already paid. */
export async function cancelFromEvent(tx: Transaction, { orderId, reason }: { orderId: string; reason: string }): Promise<Outcome> {
  return asOutcome(await transitionIn(tx, { orderId, to: 'CANCELLED', reason }));
}

/** fulfilment.shipped: the order is done. */
export async function markFinished(tx: Transaction, { orderId }: { orderId: string }): Promise<Outcome> {
  return asOutcome(await transitionIn(tx, { orderId, to: 'FINISHED', reason: 'shipped' }));
}

/**
 * payment.processing: a delayed method (bank debit) completed checkout and the money is on its
 * way. The order stays unpaid but now waits ASYNC_PAYMENT_WINDOW for it (cancelUnpaidOrders), not
 * the card payment window.
 */
export async function markPaymentProcessing({ em }: Transaction, { orderId }: { orderId: string }): Promise<Outcome> {
  const r = await em
    .createQueryBuilder()
    .update(OrderEntity)
    .set({ paymentProcessingAt: new Date() })
    .where('id = :orderId AND status IN (:...open) AND payment_processing_at IS NULL', { orderId, open: OPEN_STATUSES })
    .execute();
  return r.affected ? 'applied' : 'stale';
}
