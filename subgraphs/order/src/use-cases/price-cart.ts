// A cart's prices, computed on every read from the read models (current prices, never stale) by
// the same pricing an order gets (totals.ts, then the TaxCalculator): what the cart shows is what
// checkout charges, unless a price, coupon or balance changes in between, and then the try step's
// answer wins.
import { In } from 'typeorm';
import { couponDiscount } from '../../../../lib/contracts/coupons.js';
import { minimumCharge } from '../../../../lib/contracts/money.js';
import { taxAddressOf, shipsTo } from '../domain/checkout-details.js';
import { cartCouponProblem, detailsOf } from '../domain/cart.js';
import { subtotalOf, taxableOf, totalsOf, type Totals } from '../domain/totals.js';
import { CatalogCouponEntity, CatalogProductEntity, CustomerCreditEntity, type CartRow } from '../persistence/cart-entities.js';
import type { ShippingMethodRow } from '../persistence/entities.js';
import type { OrderDeps } from './deps.js';
import { listShippingMethods } from './shipping-methods.js';

export interface PricedCartLine {
  productId: string;
  quantity: number;
  unitPrice: number;
  currency: string;
  requiresShipping: boolean;
}

export interface PricedCart {
  cart: CartRow;
  /** The cart's lines whose products the catalog knows. */
  lines: PricedCartLine[];
  currency: string;
  totals: CartTotalsView;
  needsShipping: boolean;
  /** The chosen method, when it still ships to the address. */
  shippingMethod: ShippingMethodRow | null;
  availableShippingMethods: ShippingMethodRow[];
}

export type CartTotalsView = Totals & { currency: string };

export type PriceCartDeps = Pick<OrderDeps, 'db' | 'config' | 'taxCalculator'>;

export async function priceCart(deps: PriceCartDeps, cart: CartRow): Promise<PricedCart> {
  const { db, config, taxCalculator } = deps;
  const em = db.manager;
  const currency = config.STORE_CURRENCY;
  const ids = cart.lines.map((l) => l.productId);
  const products = new Map((ids.length ? await em.findBy(CatalogProductEntity, { productId: In(ids) }) : []).map((p) => [p.productId, p]));
  const lines = cart.lines.flatMap((l) => {
    const p = products.get(l.productId);
    return p ? [{ productId: l.productId, quantity: l.quantity, unitPrice: p.price, currency: p.currency, requiresShipping: p.requiresShipping }] : [];
  });
  const needsShipping = lines.some((l) => l.requiresShipping);
  const country = cart.shippingAddress?.country;
  const availableShippingMethods = (await listShippingMethods(deps)).filter((m) => !country || shipsTo(m, country));
  const shippingMethod = availableShippingMethods.find((m) => m.code === cart.shippingMethodCode) ?? null;

  const subtotal = subtotalOf(lines);
  const coupon = cart.couponCode ? await em.findOneBy(CatalogCouponEntity, { code: cart.couponCode }) : null;
  const discount = coupon && !cartCouponProblem(coupon, cart.ownerId, currency, new Date()) ? couponDiscount(coupon, subtotal) : 0;
  const credit = cart.useStoreCredit && cart.ownerId ? ((await em.findOneBy(CustomerCreditEntity, { customerId: cart.ownerId }))?.storeCredit ?? 0) : 0;

  const taxable = taxableOf(lines, discount, needsShipping ? shippingMethod : null);
  const included = config.STORE_PRICES_INCLUDE_TAX;
  const tax = await taxCalculator.calculateTax(taxable, taxAddressOf(needsShipping, detailsOf(cart)), included);
  const totals = totalsOf(taxable, tax, included, credit, minimumCharge(currency));
  return { cart, lines, currency, totals: { ...totals, currency }, needsShipping, shippingMethod, availableShippingMethods };
}
