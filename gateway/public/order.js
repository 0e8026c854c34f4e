// /orders/{id}: the order read once, then followed live over graphql-ws (no polling, no reloads).
// A guest holds the order token checkoutCart returned (kept per order on this device); a
// signed-in customer without one uses their own token.
import { $, el, gql, money, renderTotals, row, show, token } from './common.js';

const ORDER_TOKEN_KEY = (orderId) => `shop.orderToken.${orderId}`;
export const rememberOrderToken = (orderId, orderToken) => localStorage.setItem(ORDER_TOKEN_KEY(orderId), orderToken);
const orderToken = (orderId) => localStorage.getItem(ORDER_TOKEN_KEY(orderId));

const LABELS = {
  PENDING: 'Placed',
  WAITING_FOR_PAYMENT: 'Waiting for payment',
  PAID: 'Paid',
  FINISHED: 'Finished',
  CANCELLED: 'Cancelled',
};

const MONEY = '{ amount currency }';
const ADDRESS = 'name line1 line2 city postalCode region country phone';
const ORDER = `id status cancellationReason amountDue ${MONEY}
    items { quantity lineTotal ${MONEY} product { name } }
    statusHistory { status at reason }
    payment { status checkoutUrl }
    subtotal ${MONEY} discount ${MONEY} shipping ${MONEY} tax ${MONEY} taxIncluded storeCreditApplied ${MONEY}
    shippingMethod { name } shippingAddress { ${ADDRESS} }
    shipment { carrier trackingNumber shippedAt address { ${ADDRESS} } }`;
const READ = `query Order($id: ID!) { order(id: $id) { ${ORDER} } }`;
const FOLLOW = `subscription Follow($id: ID!) { order: orderStatusChanged(orderId: $id) { ${ORDER} } }`;

const addressLines = (a) =>
  [a.name, a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(', '), a.country, a.phone].filter(Boolean).map((line) => el('span', line));

/** Where the order goes and, once it has shipped, the carrier and tracking number. */
function renderShipment(order) {
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

function renderOrder(order) {
  $('order-heading').textContent = `Order ${order.id.slice(0, 8)}`;
  $('order-status').textContent = LABELS[order.status] ?? order.status;
  $('order-status').dataset.status = order.status;
  $('order-items').replaceChildren(
    ...order.items.map((i) => {
      const li = el('li');
      li.append(el('span', `${i.product.name} × ${i.quantity}`), el('span', money(i.lineTotal)));
      return li;
    }),
  );
  renderTotals($('order-totals'), order, { methodName: order.shippingMethod?.name, dueLabel: 'Amount due', due: order.amountDue });
  renderShipment(order);
  $('history').replaceChildren(
    ...order.statusHistory.map((h) => {
      const li = el('li', undefined, { 'data-status': h.status });
      li.append(el('strong', LABELS[h.status] ?? h.status), ' ', el('time', new Date(h.at).toLocaleTimeString(), { datetime: h.at }));
      if (h.reason) li.append(el('span', ` — ${h.reason}`));
      return li;
    }),
  );
  const payable = order.status === 'WAITING_FOR_PAYMENT' && order.payment?.status === 'OPEN' && order.payment.checkoutUrl;
  $('pay').hidden = !payable;
  if (payable) $('pay-link').href = order.payment.checkoutUrl;
  const final = { FINISHED: 'Paid and shipped. Thank you!', CANCELLED: `Cancelled${order.cancellationReason ? `: ${order.cancellationReason}` : ''}.` }[
    order.status
  ];
  $('final').hidden = !final;
  $('final').textContent = final ?? '';
}

function unavailable(message) {
  $('live').hidden = true;
  if (!$('order-status').dataset.status) $('order-status').textContent = 'Unavailable';
  show(message);
}

let following = null;

/**
 * Shows the order and follows it; false when this device holds no token for it (the caller asks
 * the shopper to sign in).
 */
export async function followOrder(orderId) {
  if (following) return true;
  const bearer = orderToken(orderId) ?? token();
  if (!bearer) return false;
  following = true;
  let order;
  try {
    ({ order } = await gql(READ, { id: orderId }, { bearer }));
  } catch (err) {
    following = null;
    // An expired order token is no use again; signing in may still show the order.
    if (err.code === 'UNAUTHENTICATED' && bearer === orderToken(orderId)) localStorage.removeItem(ORDER_TOKEN_KEY(orderId));
    throw err;
  }
  if (!order) {
    following = null;
    unavailable('This order was not found, or it is not yours.');
    return true;
  }
  renderOrder(order);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  // Lazy: the socket opens for the subscription and closes once it completes.
  const client = globalThis.graphqlWs.createClient({ url, connectionParams: () => ({ authorization: `Bearer ${bearer}` }) });
  following = client.subscribe(
    { query: FOLLOW, variables: { id: orderId } },
    {
      next: ({ data, errors }) => {
        if (data?.order) renderOrder(data.order);
        $('live').hidden = false;
        if (errors?.length) show(errors[0].message);
      },
      error: (err) => {
        const first = Array.isArray(err) ? err[0] : err;
        unavailable(first?.message ?? 'Lost the connection to the shop; reload to try again.');
      },
      complete: () => {
        $('live').hidden = true;
      },
    },
  );
  return true;
}
