// The checkout's address form and shipping-method choice (what placeOrder gets besides the items),
// and the order page's totals and shipment. Loaded by app.js.
import { $, el, gql, money } from './common.js';

const ADDRESS_KEY = 'shop.address';
// Input id suffix → AddressInput field; the <label>s are in index.html.
const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'postalCode', 'region', 'country', 'phone'];
const input = (field) => $(`ship-${field}`);

/** Fills the shipping-method choice from `shippingMethods`, the first one chosen. */
export async function loadShippingMethods() {
  const { shippingMethods } = await gql('{ shippingMethods { code name price { amount currency } } }');
  const chosen = $('shipping-methods').querySelector('input:checked')?.value;
  $('shipping-methods').replaceChildren(
    ...shippingMethods.map((m, i) => {
      const radio = el('input', undefined, { type: 'radio', name: 'shipping-method', id: `ship-method-${m.code}`, value: m.code, required: '' });
      radio.checked = chosen ? m.code === chosen : i === 0;
      const label = el('label', undefined, { for: radio.id, class: 'choice' });
      label.append(radio, el('span', m.name), el('span', money(m.price), { class: 'price' }));
      return label;
    }),
  );
  $('shipping-methods').setAttribute('aria-busy', 'false');
  if (!shippingMethods.length) $('shipping-methods').append(el('p', 'No shipping methods are available.', { class: 'hint' }));
}

/** The address last used on this device, so a returning shopper doesn't type it again. */
export function prefillAddress(me) {
  const saved = JSON.parse(localStorage.getItem(ADDRESS_KEY) ?? '{}');
  for (const field of ADDRESS_FIELDS) if (!input(field).value && saved[field]) input(field).value = saved[field];
  if (!input('name').value && me?.name) input('name').value = me.name;
}

/** The form's values as placeOrder input fields; blank optional fields are left out. */
export function checkoutDetails() {
  const shippingAddress = {};
  for (const field of ADDRESS_FIELDS) {
    const value = input(field).value.trim();
    if (value) shippingAddress[field] = field === 'country' ? value.toUpperCase() : value;
  }
  const shippingMethod = $('shipping-methods').querySelector('input:checked')?.value;
  return { shippingAddress, shippingMethod };
}

export const rememberAddress = (address) => localStorage.setItem(ADDRESS_KEY, JSON.stringify(address));

// What the order page follows besides status, items and payment (see FOLLOW in app.js).
const ADDRESS = 'name line1 line2 city postalCode region country phone';
export const ORDER_DETAILS = `
    subtotal { amount currency } discount { amount currency } shipping { amount currency }
    tax { amount currency } taxIncluded storeCreditApplied { amount currency }
    shippingMethod { name } shippingAddress { ${ADDRESS} }
    shipment { carrier trackingNumber shippedAt address { ${ADDRESS} } }`;

const addressLines = (a) =>
  [a.name, a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(', '), a.country, a.phone].filter(Boolean).map((line) => el('span', line));

function row(label, value, attrs = {}) {
  const div = el('div', undefined, attrs);
  div.append(el('dt', label), el('dd', value));
  return div;
}

/** Subtotal, discount, shipping, tax, credit and amount due; zero discount and credit are left out. */
export function renderTotals(order) {
  const rows = [row('Subtotal', money(order.subtotal), { 'data-line': 'subtotal' })];
  if (order.discount.amount) rows.push(row('Discount', `−${money(order.discount)}`, { 'data-line': 'discount' }));
  const shipping = order.shippingMethod ? `Shipping (${order.shippingMethod.name})` : 'Shipping';
  rows.push(row(shipping, money(order.shipping), { 'data-line': 'shipping' }));
  rows.push(row(order.taxIncluded ? 'Tax (included)' : 'Tax', money(order.tax), { 'data-line': 'tax' }));
  if (order.storeCreditApplied.amount) rows.push(row('Store credit', `−${money(order.storeCreditApplied)}`, { 'data-line': 'credit' }));
  rows.push(row('Amount due', money(order.amountDue), { 'data-line': 'amount-due', class: 'total' }));
  $('order-totals').replaceChildren(...rows);
}

/** Where the order goes and, once it has shipped, the carrier and tracking number. */
export function renderShipment(order) {
  const address = order.shipment?.address ?? order.shippingAddress;
  $('ship-to').hidden = !address;
  if (address) $('ship-to-address').replaceChildren(...addressLines(address));
  const shipped = order.shipment?.shippedAt;
  $('shipment').hidden = !shipped;
  if (!shipped) return;
  $('shipment-details').replaceChildren(
    row('Shipped', new Date(shipped).toLocaleString()),
    row('Carrier', order.shipment.carrier ?? '—', { 'data-line': 'carrier' }),
    row('Tracking number', order.shipment.trackingNumber ?? '—', { 'data-line': 'tracking' }),
  );
}
