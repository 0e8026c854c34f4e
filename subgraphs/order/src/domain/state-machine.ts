// The order state machine: one declarative transition table. Every status change anywhere in
// the system goes through `decideTransition`; nothing else writes an order's status.
import type { OrderStatus } from '../../../../lib/contracts/events.js';

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  // → PAID directly: nothing to pay, or the payment landed before the checkout step was seen.
  PENDING: ['WAITING_FOR_PAYMENT', 'PAID', 'CANCELLED'],
  WAITING_FOR_PAYMENT: ['PAID', 'CANCELLED'],
  PAID: ['FINISHED'],
  FINISHED: [],
  CANCELLED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => TRANSITIONS[from].includes(to);

export type Decision = { kind: 'apply'; from: OrderStatus; to: OrderStatus } | { kind: 'illegal'; from: OrderStatus; to: OrderStatus };

export function decideTransition(from: OrderStatus, to: OrderStatus): Decision {
  return canTransition(from, to) ? { kind: 'apply', from, to } : { kind: 'illegal', from, to };
}
