// The storefront: products and sign-in over POST /graphql, the server-side cart (cart.js) with its
// checkout form (checkout.js), and /orders/{id} following the order live (order.js).
// Everything user-visible is set with textContent, never innerHTML.
import { $, TOKEN_KEY, el, gql, money, show, token } from './common.js';
import { forgetCart, loadCart, setQuantity } from './cart.js';
import { prefillCheckout } from './checkout.js';
import { followOrder } from './order.js';

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
  // A cart the customer changed while signed in is theirs alone; a guest starts a new one.
  forgetCart();
  location.assign('/');
});

// ---- shop: products ---------------------------------------------------------------------

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
    add.addEventListener('click', () => setQuantity(p.id, (quantity) => Math.min(quantity + 1, p.available)).catch(() => {}));
    item.append(add);
    $('products').append(item);
  }
  productsAfter = products.pageInfo.endCursor;
  $('more-products').hidden = !products.pageInfo.hasNextPage;
  $('products').setAttribute('aria-busy', 'false');
}

$('more-products').addEventListener('click', () => loadProducts().catch((err) => show(err.message)));

// ---- routing ----------------------------------------------------------------------------

async function route() {
  const orderId = /^\/orders\/([^/]+)$/.exec(location.pathname)?.[1];
  const me = await renderAccount();
  $('shop-view').hidden = !!orderId;
  $('order-view').hidden = !orderId;
  if (orderId) {
    if (!(await followOrder(decodeURIComponent(orderId)))) show('Sign in to follow this order.');
    return;
  }
  await loadCart().catch(() => {}); // its error shows beside the cart
  prefillCheckout(me);
  if (!productsAfter && !$('products').children.length) await loadProducts();
}

route().catch((err) => show(err.message));
