/**
 * The hosted payment page behind session.url: a plain, self-contained HTML form (no
 * scripts, CDNs or fonts, so it works offline and in headless browsers). It stands in
 * for Stripe Checkout: the test card is prefilled and submitting it pays the session.
 */
import type { SessionRecord } from './sessions.js';
import { formatAmount } from './money.js';

/** Stripe's "generic decline" test card; everything else succeeds. */
export const DECLINED_CARD = '4000000000000002';

/** What the bank-debit section preselects: a success a few seconds later, long enough to see the unpaid state. */
export const DEFAULT_DEBIT_DELAY_MS = 5_000;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1a1f36; }
  main { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.25rem; } h2 { font-size: 1rem; } .total { font-size: 2rem; font-weight: 600; margin: 0 0 1rem; }
  ul { padding: 0; list-style: none; } li { padding: .5rem 0; border-bottom: 1px solid #e3e8ee; }
  .item { display: flex; justify-content: space-between; gap: 1rem; } .desc { color: #4f566b; font-size: .9rem; }
  label { display: block; margin-top: .75rem; font-weight: 500; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #8792a2; border-radius: 4px; }
  .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
  button { margin-top: 1.25rem; width: 100%; padding: .75rem; font-size: 1rem; font-weight: 600; color: #fff; background: #0a2540; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #635bff; outline-offset: 2px; }
  .cancel { display: block; margin-top: 1rem; text-align: center; color: #0a2540; }
  .note { color: #4f566b; font-size: .85rem; } [role=alert] { color: #a3000b; font-weight: 600; }
  fieldset { margin-top: 1.25rem; border: 1px solid #e3e8ee; border-radius: 6px; } legend { font-weight: 600; }
  select { width: 100%; padding: .5rem; font-size: 1rem; }`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function renderCheckoutPage(record: SessionRecord, error?: string): string {
  const { session, lineItems, descriptions } = record;
  const currency = session.currency ?? 'usd';
  const total = formatAmount(session.amount_total ?? 0, currency);
  const items = lineItems
    .map((li, i) => {
      const description = descriptions[i];
      return `<li><div class="item"><span>${escapeHtml(li.description ?? '')}${li.quantity && li.quantity > 1 ? ` × ${li.quantity}` : ''}</span>
<span>${formatAmount(li.amount_total, currency)}</span></div>${description ? `\n<div class="desc">${escapeHtml(description)}</div>` : ''}</li>`;
    })
    .join('\n');
  const action = `/pay/${encodeURIComponent(session.id)}`;
  const cancel = session.cancel_url ? `\n<a class="cancel" href="${escapeHtml(session.cancel_url)}">Cancel</a>` : '';
  const alert = error ? `\n<p role="alert">${escapeHtml(error)}</p>` : '';
  return layout(
    `Pay ${total} – Checkout (Stripe emulator)`,
    `<h1>Checkout</h1>
<p class="note">Stripe emulator: no real payment is made.</p>
<p class="desc">Total due</p>
<p class="total">${total}</p>
<h2 class="desc">Order summary</h2>
<ul aria-label="Items">
${items}
</ul>${alert}
<form method="POST" action="${escapeHtml(action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(session.customer_email ?? 'test@example.com')}">
<fieldset>
<legend>Card</legend>
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required value="4242 4242 4242 4242">
<div class="row">
<div><label for="card_expiry">Expiry (MM / YY)</label>
<input id="card_expiry" name="card_expiry" autocomplete="cc-exp" required value="12 / 34"></div>
<div><label for="card_cvc">CVC</label>
<input id="card_cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" required value="123"></div>
</div>
<button type="submit">Pay</button>
</fieldset>${bankDebit(session.payment_method_types)}
</form>${cancel}`,
  );
}

/**
 * The second way to pay, for sessions that offer `us_bank_account`: its own submit button in
 * the same form (`payment_method=us_bank_account`), so the card button stays the default and
 * nothing needs scripts. The emulator-only fields choose what the bank will answer, and when.
 */
function bankDebit(methods: string[]): string {
  if (!methods.includes('us_bank_account')) return '';
  return `
<fieldset>
<legend>US bank account (ACH debit)</legend>
<p class="note">Test account 000123456789, routing 110000000. The payment completes now and settles later.</p>
<label for="debit_outcome">The bank's answer (emulator)</label>
<select id="debit_outcome" name="debit_outcome"><option value="succeeded" selected>Succeeds</option><option value="failed">Fails</option></select>
<label for="debit_delay_ms">Settles after (milliseconds)</label>
<input id="debit_delay_ms" name="debit_delay_ms" inputmode="numeric" value="${DEFAULT_DEBIT_DELAY_MS}">
<button type="submit" name="payment_method" value="us_bank_account" formnovalidate>Pay by bank debit</button>
</fieldset>`;
}

export function renderMessage(title: string, message: string, link?: { href: string; text: string }): string {
  const a = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${a}`);
}
