/**
 * GET/POST /pay/:id: the browser side of Checkout. Unauthenticated, like Stripe's hosted
 * page; the unguessable session id is the capability.
 */
import type { ServerResponse } from 'node:http';
import type { BankDebits } from './bank-debit.js';
import { DECLINED_CARD, DEFAULT_DEBIT_DELAY_MS, renderCheckoutPage, renderMessage } from './checkout-page.js';
import { StripeApiError } from './errors.js';
import { send, sendHtml } from './http.js';
import type { SessionRecord, SessionStore } from './sessions.js';

export interface PageDeps {
  sessions: SessionStore;
  debits: BankDebits;
}

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
        session.payment_status === 'paid' ? 'Already paid' : 'Payment processing',
        session.payment_status === 'paid'
          ? 'This checkout session has already been paid. You have not been charged again.'
          : 'This checkout session has been paid by bank debit, which is still processing. You have not been charged again.',
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

export function handlePage({ sessions, debits }: PageDeps, method: string, path: string, body: string, res: ServerResponse): void {
  const id = decodeURIComponent(PAY.exec(path)![1]!);
  const record = sessions.get(id);
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
  const email = form.get('email')?.trim() || undefined;
  if (form.get('payment_method') === 'us_bank_account') {
    const outcome = form.get('debit_outcome') === 'failed' ? 'failed' : 'succeeded';
    const delayText = form.get('debit_delay_ms')?.trim() || String(DEFAULT_DEBIT_DELAY_MS);
    try {
      debits.start(id, { outcome, delayMs: /^\d+$/.test(delayText) ? Number(delayText) : NaN, email });
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      sendHtml(res, 400, renderCheckoutPage(record, err.message));
      return;
    }
    return completed(record, res);
  }
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
  sessions.pay(id, email);
  completed(record, res);
}

/** After the page completed the session: to success_url, as Stripe redirects, or a thank-you page. */
function completed({ session }: SessionRecord, res: ServerResponse): void {
  if (session.success_url) {
    send(res, 303, '', { location: successUrl(session.success_url, session.id), 'cache-control': 'no-store' });
    return;
  }
  sendHtml(res, 200, renderMessage('Payment complete', 'Thanks for your payment. You can close this page.'));
}
