// The server-side cart: its id is all this device keeps (localStorage); lines, email, address,
// shipping method, coupon, store credit and totals live on the server and are read back after
// every change. Cart calls send the customer's token or none, never an order token.
import { $, el, gql, money, renderTotals, show } from './common.js';

const CART_ID_KEY = 'cartId';
const MONEY = '{ amount currency }';
const ADDRESS = 'name line1 line2 city postalCode region country phone';
const CART = `id email couponCode useStoreCredit order { id }
  lines { quantity product { id name } unitPrice ${MONEY} lineTotal ${MONEY} }
  shippingAddress { ${ADDRESS} } shippingMethod { code name }
  availableShippingMethods { code name price ${MONEY} }
  totals { subtotal ${MONEY} discount ${MONEY} shipping ${MONEY} tax ${MONEY} storeCreditApplied ${MONEY} total ${MONEY} taxIncluded }`;

/** The cart as last read from the server; null before the first add. */
export let current = null;
const listeners = [];
/** Called with each cart read from the server (checkout.js keeps its form in step). */
export const onCart = (listener) => listeners.push(listener);

export const cartId = () => localStorage.getItem(CART_ID_KEY);
export const forgetCart = () => localStorage.removeItem(CART_ID_KEY);

function update(cart) {
  current = cart;
  if (cart) localStorage.setItem(CART_ID_KEY, cart.id);
  render();
  for (const listener of listeners) listener(cart);
  return cart;
}

/**
 * Reads the stored cart; one that is gone (expired, or it became another customer's) or already
 * checked out is dropped, and the next add starts a fresh one.
 */
export const loadCart = () =>
  enqueue(async () => {
    const id = cartId();
    const cart = id ? (await gql(`query($id: ID!) { cart(id: $id) { ${CART} } }`, { id })).cart : null;
    if (cart && !cart.order) return cart;
    forgetCart();
    return null;
  });

// One change at a time, in order: a reply that arrived late can't overwrite a newer cart.
let queue = Promise.resolve();

/** Runs `read` (which returns the new cart) after the changes before it; errors show by the cart. */
function enqueue(read) {
  const done = queue.then(read).then(
    (cart) => {
      show('', 'cart-message');
      return update(cart);
    },
    (err) => {
      // The cart went away under us (expired, checked out elsewhere): start again from nothing.
      if (err.code === 'NOT_FOUND' && /cart/i.test(err.message)) {
        forgetCart();
        update(null);
      }
      show(err.message, 'cart-message');
      throw err;
    },
  );
  queue = done.catch(() => {});
  return done;
}

/** Runs a cart mutation aliased `cart` that takes $cartId; `{CART}` in it stands for the cart's fields. */
export const change = (mutation, variables = {}) =>
  enqueue(async () => {
    if (!current) throw new Error('Your cart is empty.');
    return (await gql(mutation.replace('{CART}', CART), { ...variables, cartId: current.id })).cart;
  });

/**
 * Sets one product's quantity (0 removes it), creating the cart with its first line. `quantity`
 * may be a function of the quantity in the cart when the change runs, so quick clicks add up.
 */
export const setQuantity = (productId, quantity) =>
  enqueue(async () => {
    const lines = [{ productId, quantity: typeof quantity === 'function' ? quantity(quantityOf(productId)) : quantity }];
    if (!current) return (await gql(`mutation($lines: [OrderItemInput!]) { cart: createCart(input: { lines: $lines }) { ${CART} } }`, { lines })).cart;
    const set = `mutation($cartId: ID!, $lines: [OrderItemInput!]!) { cart: setCartLines(cartId: $cartId, lines: $lines) { ${CART} } }`;
    return (await gql(set, { cartId: current.id, lines })).cart;
  });

export const quantityOf = (productId) => current?.lines.find((l) => l.product.id === productId)?.quantity ?? 0;

function lineItem(line) {
  const { product } = line;
  const item = el('li', undefined, { 'data-product': product.id });
  const qty = el('input', undefined, { type: 'number', min: '0', max: '999', class: 'qty', 'aria-label': `Quantity of ${product.name}` });
  qty.value = String(line.quantity);
  qty.addEventListener('change', () => {
    const quantity = Number.parseInt(qty.value, 10);
    if (Number.isInteger(quantity) && quantity >= 0) setQuantity(product.id, quantity).catch(() => {});
  });
  const remove = el('button', 'Remove', { type: 'button', class: 'link', 'aria-label': `Remove ${product.name} from cart` });
  remove.addEventListener('click', () => setQuantity(product.id, 0).catch(() => {}));
  item.append(el('span', product.name, { class: 'name' }), qty, el('span', money(line.lineTotal), { class: 'amount' }), remove);
  return item;
}

function render() {
  const lines = current?.lines ?? [];
  $('cart').replaceChildren(...lines.map(lineItem));
  $('cart-empty').hidden = lines.length > 0;
  $('checkout').disabled = !lines.length;
  $('checkout-details').hidden = !lines.length;
  if (!lines.length) return $('cart-totals').replaceChildren();
  renderTotals($('cart-totals'), current.totals, { methodName: current.shippingMethod?.name, dueLabel: 'Total', due: current.totals.total });
}
