// The checkout form beside the cart: email, shipping address, shipping method, coupon and store
// credit, each saved to the server-side cart as it changes so the totals (shipping, tax) show
// before paying; then checkoutCart, which places the order and hands back its order token.
import { $, el, gql, money, show } from './common.js';
import { change, current, forgetCart, onCart } from './cart.js';
import { rememberOrderToken } from './order.js';

const ADDRESS_KEY = 'shop.address';
// Input id suffix → AddressInput field; the <label>s are in index.html.
const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'postalCode', 'region', 'country', 'phone'];
const input = (field) => $(`ship-${field}`);

/** The address form's values as AddressInput; blank optional fields are left out. */
function addressInput() {
  const address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = input(field).value.trim();
    if (value) address[field] = field === 'country' ? value.toUpperCase() : value;
  }
  return address;
}

const sameAddress = (a, b) => !!a && !!b && ADDRESS_FIELDS.every((f) => (a[f] || null) === (b[f] || null));
const addressComplete = () => [...$('address').querySelectorAll('input')].every((i) => i.checkValidity());
const chosenMethod = () => $('shipping-methods').querySelector('input:checked')?.value;

/** Marks the input a BAD_USER_INPUT error names (extensions.field), so the message has a place. */
function markInvalid(err) {
  for (const node of document.querySelectorAll('#checkout-form [aria-invalid]')) node.removeAttribute('aria-invalid');
  const [scope, name] = String(err?.field ?? '').split('.');
  const target =
    { email: $('cart-email'), couponCode: $('coupon-code'), code: $('shipping-methods').querySelector('input') }[scope] ??
    (scope === 'address' || scope === 'shippingAddress' ? input(ADDRESS_FIELDS.includes(name) ? name : 'name') : null) ??
    (scope === 'shippingMethod' ? $('shipping-methods').querySelector('input') : null);
  target?.setAttribute('aria-invalid', 'true');
}

const saveEmail = () =>
  current && $('cart-email').value.trim() && $('cart-email').value.trim() !== current.email
    ? change('mutation($cartId: ID!, $email: String!) { cart: setCartEmail(cartId: $cartId, email: $email) { {CART} } }', {
        email: $('cart-email').value.trim(),
      })
    : null;

const saveAddress = () =>
  current && addressComplete() && !sameAddress(addressInput(), current.shippingAddress)
    ? change('mutation($cartId: ID!, $a: AddressInput!) { cart: setShippingAddress(cartId: $cartId, address: $a) { {CART} } }', { a: addressInput() })
    : null;

const saveMethod = () =>
  current && chosenMethod() && chosenMethod() !== current.shippingMethod?.code
    ? change('mutation($cartId: ID!, $code: String!) { cart: setShippingMethod(cartId: $cartId, code: $code) { {CART} } }', { code: chosenMethod() })
    : null;

const quietly = (promise) => promise?.then(() => markInvalid(null), markInvalid);

$('cart-email').addEventListener('change', () => quietly(saveEmail()));
$('address').addEventListener('change', () => quietly(saveAddress()));
$('shipping-methods').addEventListener('change', () => quietly(saveMethod()));

function applyCoupon() {
  const code = $('coupon-code').value.trim();
  if (!code) return;
  quietly(change('mutation($cartId: ID!, $code: String!) { cart: applyCoupon(cartId: $cartId, code: $code) { {CART} } }', { code }));
}
$('apply-coupon').addEventListener('click', applyCoupon);
// Enter in the coupon field applies the coupon rather than checking out.
$('coupon-code').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  applyCoupon();
});
$('remove-coupon').addEventListener('click', () => quietly(change('mutation($cartId: ID!) { cart: removeCoupon(cartId: $cartId) { {CART} } }')));
$('use-credit').addEventListener('change', () =>
  quietly(change('mutation($cartId: ID!, $use: Boolean!) { cart: useStoreCredit(cartId: $cartId, use: $use) { {CART} } }', { use: $('use-credit').checked })),
);

/** The shipping-method choice from the cart's availableShippingMethods, its own method chosen. */
function renderMethods(cart) {
  const methods = cart?.availableShippingMethods ?? [];
  $('shipping-methods').replaceChildren(
    ...methods.map((m) => {
      const radio = el('input', undefined, { type: 'radio', name: 'shipping-method', id: `ship-method-${m.code}`, value: m.code, required: '' });
      radio.checked = m.code === cart.shippingMethod?.code;
      const label = el('label', undefined, { for: radio.id, class: 'choice' });
      label.append(radio, el('span', m.name), el('span', money(m.price), { class: 'price' }));
      return label;
    }),
  );
  if (cart && !methods.length) $('shipping-methods').append(el('p', 'No shipping methods ship to this address.', { class: 'hint' }));
}

let filledFrom = null;
onCart((cart) => {
  renderMethods(cart);
  $('coupon').hidden = !!cart?.couponCode;
  $('coupon-applied').hidden = !cart?.couponCode;
  $('coupon-applied-code').textContent = cart?.couponCode ? `Coupon ${cart.couponCode} applied.` : '';
  if (cart?.couponCode) $('coupon-code').value = '';
  $('use-credit').checked = !!cart?.useStoreCredit;
  // What the server kept fills the form once per cart; later replies never overwrite typing.
  if (!cart || filledFrom === cart.id) return;
  filledFrom = cart.id;
  if (cart.email) $('cart-email').value = cart.email;
  for (const field of ADDRESS_FIELDS) if (cart.shippingAddress?.[field]) input(field).value = cart.shippingAddress[field];
});

/** Fills what the cart lacks from the address last used on this device and the signed-in customer. */
export function prefillCheckout(me) {
  $('credit').hidden = !me;
  const saved = JSON.parse(localStorage.getItem(ADDRESS_KEY) ?? '{}');
  for (const field of ADDRESS_FIELDS) if (!input(field).value && saved[field]) input(field).value = saved[field];
  if (!input('name').value && me?.name) input('name').value = me.name;
  if (!$('cart-email').value && me?.email) $('cart-email').value = me.email;
}

$('checkout-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!current) return;
  show('', 'cart-message');
  $('checkout').disabled = true;
  try {
    // Whatever the change events have not saved yet (a field still focused, a prefilled value).
    await saveEmail();
    await saveAddress();
    await saveMethod();
    const { checkoutCart } = await gql('mutation($cartId: ID!) { checkoutCart(cartId: $cartId) { orderToken order { id } } }', { cartId: current.id });
    rememberOrderToken(checkoutCart.order.id, checkoutCart.orderToken);
    localStorage.setItem(ADDRESS_KEY, JSON.stringify(addressInput()));
    forgetCart();
    location.assign(`/orders/${encodeURIComponent(checkoutCart.order.id)}`);
  } catch (err) {
    markInvalid(err);
    show(err.message, 'cart-message');
    $('checkout').disabled = false;
  }
});
