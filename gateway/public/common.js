// What the storefront's scripts share: the GraphQL call over POST /graphql, the message lines and
// small DOM helpers. Everything user-visible is set with textContent, never innerHTML.
export const TOKEN_KEY = 'shop.token';
export const $ = (id) => document.getElementById(id);
export const token = () => localStorage.getItem(TOKEN_KEY);

/** A GraphQL error with its extensions.code and, for BAD_USER_INPUT, the field it names. */
export class ShopError extends Error {
  constructor({ message, extensions = {} }) {
    super(message);
    this.code = extensions.code;
    this.field = extensions.field;
  }
}

/**
 * Sends the customer's token unless told otherwise: the order page passes an order token, which
 * reads one order and nothing else (cart mutations refuse it).
 */
export async function gql(query, variables = {}, { bearer = token() } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors?.length) {
    const err = new ShopError(body.errors[0]);
    // A stale customer token (expired, or from another database) signs the shopper out.
    if (err.code === 'UNAUTHENTICATED' && bearer && bearer === token()) localStorage.removeItem(TOKEN_KEY);
    throw err;
  }
  return body.data;
}

export function show(message, where = 'message') {
  $(where).textContent = message ?? '';
  $(where).hidden = !message;
}

export const money = ({ amount, currency }) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 100);

export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function row(label, value, attrs = {}) {
  const div = el('div', undefined, attrs);
  div.append(el('dt', label), el('dd', value));
  return div;
}

/**
 * The cart's and the order's totals in one shape: subtotal, discount, shipping, tax, credit and
 * what is due; zero discount and credit are left out.
 */
export function renderTotals(list, t, { methodName, dueLabel, due }) {
  const rows = [row('Subtotal', money(t.subtotal), { 'data-line': 'subtotal' })];
  if (t.discount.amount) rows.push(row('Discount', `−${money(t.discount)}`, { 'data-line': 'discount' }));
  rows.push(row(methodName ? `Shipping (${methodName})` : 'Shipping', money(t.shipping), { 'data-line': 'shipping' }));
  rows.push(row(t.taxIncluded ? 'Tax (incl.)' : 'Tax', money(t.tax), { 'data-line': 'tax' }));
  if (t.storeCreditApplied.amount) rows.push(row('Store credit', `−${money(t.storeCreditApplied)}`, { 'data-line': 'credit' }));
  rows.push(row(dueLabel, money(due), { 'data-line': 'due', class: 'total' }));
  list.replaceChildren(...rows);
}
