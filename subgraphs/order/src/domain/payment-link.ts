// An order's payment link: the Payment's fixed fields as payment.checkout_created announced them,
// kept on the order so that its status events and live pushes carry them (the order subgraph
// provides them on orderStatusChanged; the payment subgraph resolves every other Payment field).
import type { PaymentLink } from '../../../../lib/contracts/events.js';
import type { OrderRow } from '../persistence/entities.js';

/** The order's columns that keep a payment link; a session never offered has no URL (''). */
export function linkColumns({ paymentId, sessionId, checkoutUrl }: PaymentLink): Pick<OrderRow, 'paymentId' | 'checkoutSessionId' | 'checkoutUrl'> {
  return { paymentId, checkoutSessionId: sessionId, checkoutUrl: checkoutUrl || null };
}

/** The payment link an order keeps, or null before payment.checkout_created reached it. */
export function paymentLinkOf(order: OrderRow): PaymentLink | null {
  return order.paymentId && order.checkoutSessionId ? { paymentId: order.paymentId, sessionId: order.checkoutSessionId, checkoutUrl: order.checkoutUrl } : null;
}
