/**
 * GET/POST /pay/:id: the browser side of Checkout. Unauthenticated, like Stripe's hosted
 * page; the unguessable session id is the capability.
 */
import type { ServerResponse } from 'node:http';
import { DECLINED_CARD, renderCheckoutPage, renderMessage } from './checkout-page.js';
import { send, sendHtml } from './http.js';
import type { SessionRecord, SessionStore } from './sessions.js';

const PAY = /^\/pay\/([^/]+)$/;

export function isPagePath(path: string): boolean {
  return PAY.test(path);
}

/** A session that can no longer be paid gets a message page: 410 once expired, 409 once paid. */
function unavailable(record: SessionRecord, res: ServerResponse): boolean {
  const { session } = record;
  if (session.status === 'expired') {
    sendHtml(
      res,
      410,
      renderMessage(
        'Checkout session expired',
        'This checkout session has expired and can no longer be paid. Please return to the shop and try again.',
        session.cancel_url ? { href: session.cancel_url, text: 'Return to the shop' } : undefined,
      ),
    );
    return true;
  }
  if (session.status === 'complete') {
    sendHtml(
      res,
      409,
      renderMessage(
        'Already paid',
        'This checkout session has already been paid. You have not been charged again.',
        session.success_url ? { href: successUrl(session.success_url, session.id), text: 'Continue' } : undefined,
      ),
    );
    return true;
  }
  return false;
}

/** Stripe substitutes the `{CHECKOUT_SESSION_ID}` template variable in success_url. */
export function successUrl(template: string, id: string): string {
  return template.replaceAll('{CHECKOUT_SESSION_ID}', id);
}

export function handlePage(store: SessionStore, method: string, path: string, body: string, res: ServerResponse): void {
  const id = decodeURIComponent(PAY.exec(path)![1]!);
  const record = store.get(id);
  if (!record) {
    sendHtml(res, 404, renderMessage('Checkout session not found', 'This payment link is not valid.'));
    return;
  }
  if (unavailable(record, res)) return;
  if (method === 'GET' || method === 'HEAD') {
    sendHtml(res, 200, renderCheckoutPage(record));
    return;
  }
  if (method !== 'POST') {
    send(res, 405, 'Method Not Allowed', { allow: 'GET, POST', 'content-type': 'text/plain' });
    return;
  }
  const form = new URLSearchParams(body);
  const card = (form.get('card_number') ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(card)) {
    sendHtml(res, 400, renderCheckoutPage(record, 'Your card number is invalid.'));
    return;
  }
  if (card === DECLINED_CARD) {
    // As on Stripe Checkout, a decline leaves the session open and sends no event.
    sendHtml(res, 402, renderCheckoutPage(record, 'Your card was declined. Try another card.'));
    return;
  }
  const session = store.pay(id, form.get('email')?.trim() || undefined);
  if (session.success_url) {
    send(res, 303, '', { location: successUrl(session.success_url, id), 'cache-control': 'no-store' });
    return;
  }
  sendHtml(res, 200, renderMessage('Payment complete', 'Thanks for your payment. You can close this page.'));
}
