import type { MigrationInterface, QueryRunner } from 'typeorm';
import { newEvent } from '../../../../../lib/contracts/events.js';
import { backfillEvents } from '../../../../../lib/platform/messaging/outbox-backfill.js';

interface PaymentRecord {
  id: string;
  order_id: string;
  session_id: string;
  checkout_url: string | null;
}

/**
 * The order subgraph keeps each payment's link from payment.checkout_created (its live pushes carry
 * it since issue 18); orders whose event it applied before it kept the link would push none. So
 * every payment is announced again (one never offered, with no URL): for an order that has moved
 * on, the order subgraph only records the link (backfillEvents).
 */
export class PaymentLinksBackfill1732000001805 implements MigrationInterface {
  name = 'PaymentLinksBackfill1732000001805';

  async up(q: QueryRunner): Promise<void> {
    await backfillEvents<PaymentRecord>(q, 'SELECT id, order_id, session_id, checkout_url FROM payments WHERE session_id IS NOT NULL', 'id', (p) =>
      newEvent('payment.checkout_created', p.order_id, { orderId: p.order_id, paymentId: p.id, sessionId: p.session_id, checkoutUrl: p.checkout_url ?? '' }),
    );
  }

  /** The events may have been published already; what the order subgraph keeps stays its own. */
  async down(): Promise<void> {}
}
