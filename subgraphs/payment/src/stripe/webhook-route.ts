// POST /stripe/webhook: the raw body is verified with the webhook secret (300 s tolerance either
// way) before anything is read from it; a bad, stale or future signature or body is a 400 and
// changes nothing.
import express, { type Express } from 'express';
import type Stripe from 'stripe';
import { selectRows } from '../../../../lib/platform/db/raw-rows.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import { SpanKind, withSpan } from '../../../../lib/platform/observability/telemetry.js';
import { PaymentEntity } from '../persistence/entities.js';
import { applyStripeEvent } from '../use-cases/apply-stripe-event.js';
import type { PaymentDeps } from '../use-cases/deps.js';

const SIGNATURE_TOLERANCE_S = 300;

/** The `t=` of a Stripe-Signature header (already verified by constructEvent). */
const signedAt = (header: string) => Number(/(?:^|,)t=(\d+)/.exec(header)?.[1] ?? Infinity);

export function webhookRoute(rt: Runtime, deps: PaymentDeps) {
  const { stripe } = deps;
  return (app: Express) => {
    app.post('/stripe/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
      const signature = req.headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) throw new Error('missing Stripe-Signature header or body');
        event = stripe.webhooks.constructEvent(req.body, signature, rt.config.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE_S);
        // constructEvent only checks a signature's age: one dated ahead would stay replayable for as long as it is dated ahead.
        if (signedAt(signature) > Date.now() / 1000 + SIGNATURE_TOLERANCE_S) throw new Error('signature timestamp is in the future');
      } catch (err) {
        rt.log.warn({ reason: (err as Error).message }, 'webhook refused');
        rt.metrics.webhookEvents.inc({ type: 'unverified', outcome: 'refused' });
        res.status(400).json({ error: 'invalid signature or payload' });
        return;
      }
      try {
        // The webhook continues the checkout's trace, stored on the Payment when it was opened.
        const sessionId = (event.data.object as { id?: string }).id;
        const [payment] =
          event.type.startsWith('checkout.session.') && sessionId ? await selectRows(rt.db.manager, PaymentEntity, 'session_id = ?', [sessionId]) : [];
        const { outcome, detail, refundFailed } = await withSpan(
          `stripe webhook ${event.type}`,
          { service: rt.name, kind: SpanKind.SERVER, parent: payment?.traceparent, attributes: { 'stripe.event_id': event.id } },
          () => applyStripeEvent(deps, event),
        );
        rt.metrics.webhookEvents.inc({ type: event.type, outcome });
        rt.log.info({ eventId: event.id, type: event.type, outcome, detail }, 'stripe event');
        if (refundFailed) {
          rt.metrics.refundFailures.inc();
          rt.log.error({ eventId: event.id, detail }, 'a refund failed: the customer has not got their money back; an operator must refund by other means');
        }
        // A session of one of our orders not recorded yet (its creation is still being committed,
        // for at most PAYMENT_EVENT_GRACE): a non-2xx makes Stripe deliver it again later, instead
        // of losing it as a logged duplicate. Foreign events get a 200 like everything else.
        if (outcome === 'unknown_session') res.status(409).json({ received: false, outcome });
        else res.json({ received: true, outcome });
      } catch (err) {
        // Stripe retries a non-2xx, so a transient failure here loses nothing.
        rt.log.error({ err, eventId: event.id }, 'webhook processing failed');
        res.status(500).json({ error: 'try again' });
      }
    });
  };
}
