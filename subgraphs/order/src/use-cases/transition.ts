// The one place an order's status changes: lock the order, ask the state machine, write the
// order, its history entry and the events in the caller's transaction.
import { newEvent, type NewEvent, type OrderStatus, type PaymentLink } from '../../../../lib/contracts/events.js';
import { linkColumns, paymentLinkOf } from '../domain/payment-link.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { decideTransition } from '../domain/state-machine.js';
import type { OrderRow } from '../persistence/entities.js';
import { lockOrder } from '../persistence/orders.js';

export type TransitionResult = { kind: 'applied'; order: OrderRow } | { kind: 'illegal'; order: OrderRow } | { kind: 'missing' };

export interface TransitionInput {
  orderId: string;
  to: OrderStatus;
  /** Kept in the history entry, and as the order's cancellationReason when it is cancelled. */
  reason: string | null;
  /** payment.checkout_created's link, kept on the order with the transition it causes. */
  paymentLink?: PaymentLink;
}

export async function transitionIn(tx: Transaction, { orderId, to, reason, paymentLink }: TransitionInput): Promise<TransitionResult> {
  const { em } = tx;
  const order = await lockOrder(em, orderId);
  if (!order) return { kind: 'missing' };
  const decision = decideTransition(order.status, to);
  if (decision.kind === 'illegal') return { kind: 'illegal', order };
  const at = new Date();
  const next: OrderRow = {
    ...order,
    status: to,
    sequence: order.sequence + 1,
    updatedAt: at,
    cancellationReason: to === 'CANCELLED' ? reason : order.cancellationReason,
    ...(paymentLink ? linkColumns(paymentLink) : {}),
  };
  // Queued: the order is locked, so nothing can make this update or the history insert fail. Plain
  // SQL: building them with TypeORM's query builder was 9 % of the order service's CPU.
  await queueWrite(
    em,
    'UPDATE orders SET status = ?, sequence = ?, updated_at = ?, cancellation_reason = ?, payment_id = ?, checkout_session_id = ?, checkout_url = ? WHERE id = ?',
    [next.status, next.sequence, sqlTime(at), next.cancellationReason, next.paymentId, next.checkoutSessionId, next.checkoutUrl, orderId],
  );
  await recordStatus(tx, { order: next, previous: order.status, reason, at });
  return { kind: 'applied', order: next };
}

export interface StatusEntered {
  order: OrderRow;
  previous: OrderStatus | null;
  reason: string | null;
  at: Date;
  /** Events of the same change that go out first, written in the same outbox insert. */
  before?: NewEvent[];
}

/** The history entry and the events of a status the order just entered (PENDING included, see below). */
export async function recordStatus({ em, enqueue }: Transaction, { order, previous, reason, at, before = [] }: StatusEntered): Promise<void> {
  await queueWrite(em, 'INSERT INTO order_status_changes (order_id, sequence, status, reason, at) VALUES (?, ?, ?, ?, ?)', [
    order.id,
    order.sequence,
    order.status,
    reason,
    sqlTime(at),
  ]);
  const events: NewEvent[] = [...before];
  // No order.status_changed for a new order's PENDING: only live status takes that event, and a
  // subscriber can only follow an order that exists, so it gets PENDING as the current state;
  // order.created announces the order to everyone else (and counts it as PENDING in the metrics).
  if (previous !== null)
    events.push(
      newEvent(
        'order.status_changed',
        order.id,
        {
          orderId: order.id,
          customerId: order.customerId,
          status: order.status,
          previousStatus: previous,
          reason,
          at: at.toISOString(),
          payment: paymentLinkOf(order),
        },
        order.sequence,
      ),
    );
  if (order.status === 'PAID')
    events.push(
      newEvent(
        'order.paid',
        order.id,
        { orderId: order.id, customerId: order.customerId, amountDue: order.amountDue, currency: order.currency, shippingAddress: order.shippingAddress },
        order.sequence,
      ),
    );
  if (order.status === 'CANCELLED') events.push(cancelledEvent(order, reason ?? 'cancelled'));
  await enqueue(...events);
}

export const cancelledEvent = (order: OrderRow, reason: string) =>
  newEvent('order.cancelled', order.id, { orderId: order.id, customerId: order.customerId, reason }, order.sequence);
