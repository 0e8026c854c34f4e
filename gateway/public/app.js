// The storefront: products, cart, sign-in and checkout over POST /graphql (the address form and
// shipping methods are in checkout.js), and /orders/{id} following the order live over graphql-ws
// (no polling, no reloads). Everything user-visible is set with textContent, never innerHTML.
import { $, TOKEN_KEY, el, gql, money, show, token } from './common.js';
import { ORDER_DETAILS, checkoutDetails, loadShippingMethods, prefillAddress, rememberAddress, renderShipment, renderTotals } from './checkout.js';

const CART_KEY = 'shop.cart';

const LABELS = {
  PENDING: 'Placed',
  WAITING_FOR_PAYMENT: 'Waiting for payment',
  PAID: 'Paid',
  FINISHED: 'Finished',
  CANCELLED: 'Cancelled',
};

// ---- account ----------------------------------------------------------------------------

async function renderAccount() {
  let me = null;
  if (token()) me = (await gql('{ me { email name } }').catch(() => ({ me: null }))).me;
  $('who').textContent = me ? `Signed in as ${me.email}` : 'Not signed in';
  $('sign-out').hidden = !me;
  $('sign-in').hidden = !!me;
  return me;
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const { logIn } = await gql('mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', {
      e: $('email').value,
      p: $('password').value,
    });
    localStorage.setItem(TOKEN_KEY, logIn.token);
    $('password').value = '';
    show('');
    await route(); // on an order page this starts following the order
  } catch (err) {
    show(err.message);
  }
});

$('sign-out').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  location.assign('/');
});

// ---- shop: products and cart ------------------------------------------------------------

const cart = {
  load: () => JSON.parse(localStorage.getItem(CART_KEY) ?? '{}'),
  save: (lines) => localStorage.setItem(CART_KEY, JSON.stringify(lines)),
};
let productsAfter = null;

async function loadProducts() {
  const { products } = await gql(
    `query($after: String) { products(first: 20, after: $after) {
       nodes { id name price { amount currency } available } pageInfo { hasNextPage endCursor } } }`,
    { after: productsAfter },
  );
  for (const p of products.nodes) {
    const item = el('li', undefined, { class: 'product' });
    item.append(el('h3', p.name), el('p', money(p.price), { class: 'price' }));
    item.append(el('p', p.available > 0 ? `${p.available} available` : 'Sold out', { class: p.available > 0 ? 'stock' : 'stock out' }));
    const add = el('button', 'Add to cart', { type: 'button', 'aria-label': `Add ${p.name} to cart` });
    add.disabled = p.available < 1;
    add.addEventListener('click', () => {
      const lines = cart.load();
      const line = lines[p.id] ?? { name: p.name, price: p.price, quantity: 0 };
      line.quantity = Math.min(line.quantity + 1, p.available);
      lines[p.id] = line;
      cart.save(lines);
      renderCart();
    });
    item.append(add);
    $('products').append(item);
  }
  productsAfter = products.pageInfo.endCursor;
  $('more-products').hidden = !products.pageInfo.hasNextPage;
  $('products').setAttribute('aria-busy', 'false');
}

$('more-products').addEventListener('click', () => loadProducts().catch((err) => show(err.message)));

function renderCart() {
  const lines = Object.entries(cart.load());
  $('cart').replaceChildren();
  let total = 0;
  for (const [id, line] of lines) {
    total += line.price.amount * line.quantity;
    const item = el('li');
    item.append(el('span', `${line.name} × ${line.quantity}`), el('span', money({ amount: line.price.amount * line.quantity, currency: line.price.currency })));
    const remove = el('button', 'Remove', { type: 'button', class: 'link', 'aria-label': `Remove ${line.name} from cart` });
    remove.addEventListener('click', () => {
      const all = cart.load();
      delete all[id];
      cart.save(all);
      renderCart();
    });
    item.append(remove);
    $('cart').append(item);
  }
  $('cart-empty').hidden = lines.length > 0;
  $('cart-total').textContent = lines.length ? money({ amount: total, currency: lines[0][1].price.currency }) : '—';
  $('checkout').disabled = !lines.length;
  $('checkout-details').hidden = !lines.length;
}

$('checkout-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!token()) return show('Sign in to check out.');
  const items = Object.entries(cart.load()).map(([productId, line]) => ({ productId, quantity: line.quantity }));
  const { shippingAddress, shippingMethod } = checkoutDetails();
  show('');
  $('checkout').disabled = true;
  try {
    // One key per click: a retried request can't place the order twice.
    const { placeOrder } = await gql('mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }', {
      input: { items, shippingAddress, shippingMethod, idempotencyKey: crypto.randomUUID() },
    });
    cart.save({});
    rememberAddress(shippingAddress);
    location.assign(`/orders/${encodeURIComponent(placeOrder.id)}`);
  } catch (err) {
    show(err.message);
    $('checkout').disabled = false;
  }
});

// ---- order page: live status ------------------------------------------------------------

const FOLLOW = `subscription Follow($id: ID!) {
  order: orderStatusChanged(orderId: $id) {
    id status cancellationReason
    amountDue { amount currency }
    items { quantity lineTotal { amount currency } product { name } }
    statusHistory { status at reason }
    payment { status checkoutUrl }${ORDER_DETAILS}
  }
}`;
let following = null;

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
  renderTotals(order);
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

function follow(orderId) {
  if (following) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  // Lazy: the socket opens for the subscription and closes once it completes.
  const client = globalThis.graphqlWs.createClient({ url, connectionParams: () => ({ authorization: `Bearer ${token()}` }) });
  following = client.subscribe(
    { query: FOLLOW, variables: { id: orderId } },
    {
      next: ({ data, errors }) => {
        if (data?.order) renderOrder(data.order);
        $('live').hidden = false;
        if (errors?.length) show(errors[0].message);
      },
      error: (err) => {
        $('live').hidden = true;
        if (!$('order-status').dataset.status) $('order-status').textContent = 'Unavailable';
        const first = Array.isArray(err) ? err[0] : err;
        show(first?.message ?? 'Lost the connection to the shop; reload to try again.');
        if (Array.isArray(err) && err[0]?.extensions?.code === 'UNAUTHENTICATED') localStorage.removeItem(TOKEN_KEY);
      },
      complete: () => {
        $('live').hidden = true;
      },
    },
  );
}

// ---- routing ----------------------------------------------------------------------------

async function route() {
  const orderId = /^\/orders\/([^/]+)$/.exec(location.pathname)?.[1];
  const me = await renderAccount();
  $('shop-view').hidden = !!orderId;
  $('order-view').hidden = !orderId;
  if (orderId) {
    if (me) follow(decodeURIComponent(orderId));
    else show('Sign in to follow this order.');
    return;
  }
  renderCart();
  prefillAddress(me);
  if (!$('shipping-methods').children.length) loadShippingMethods().catch((err) => show(err.message));
  if (!productsAfter && !$('products').children.length) await loadProducts();
}

route().catch((err) => show(err.message));
