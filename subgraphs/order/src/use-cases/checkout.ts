// The checkout's steps after validation, written once for placeOrder and checkoutCart:
//   try: inventory holds the lines, account holds coupon and credit (the one synchronous fan-out);
//     goods that ship need an address and a method, known once inventory answered →
//   price: totals.ts and the TaxCalculator, the one pricing →
//   confirm: one transaction writes the order (PENDING), its history and order.created, and
//     whatever the entry point adds (checkoutCart marks its cart checked out).
// Any failure after a hold releases what was held before the mutation returns.
import type { EntityManager } from 'typeorm';
import { newEvent } from '../../../../lib/contracts/events.js';
import { badInput, userError } from '../../../../lib/contracts/errors.js';
import { minimumCharge } from '../../../../lib/contracts/money.js';
import type { HeldLine, HoldLine } from '../../../../lib/contracts/order-lines.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { callInternal } from '../../../../lib/platform/http/internal-http.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { shippingProblem, taxAddressOf, type CheckoutDetails } from '../domain/checkout-details.js';
import { OPEN_STATUSES } from '../domain/checkout-request.js';
import { subtotalOf, taxableOf, totalsOf, type ShippingRate, type Totals } from '../domain/totals.js';
import { OrderEntity, OrderItemEntity, type OrderRow, type ShippingMethodRow } from '../persistence/entities.js';
import { countCustomerOrders, findOrder, orderAndCustomerCount } from '../persistence/orders.js';
import type { OrderDeps } from './deps.js';
import { recordStatus, transitionIn } from './transition.js';

/** Who is buying: a signed-in customer, or a guest known by a stand-in id made from their email (guestIdFor). */
export interface Buyer {
  customerId: string;
  guest: boolean;
}

/** A checkout that passed validation: what to hold, price and write. */
export interface CheckoutRequest {
  orderId: string;
  buyer: Buyer;
  /** Validated and normalised (validateLines). */
  lines: HoldLine[];
  /** Normalised; account checks it. */
  couponCode: string | null;
  useStoreCredit: boolean;
  details: CheckoutDetails;
  /** The chosen method, already checked to exist and ship to the address (checkShippingMethod). */
  method: ShippingMethodRow | null;
  idempotencyKey: string | null;
  /** checkoutFingerprint of the request: a second request for the same order id must match it. */
  inputHash: string;
  /** More to write in the order's transaction; throwing rolls the order back and releases the holds. */
  alsoInTransaction?: (tx: Transaction, order: OrderRow) => Promise<void>;
}

export type CheckoutDeps = Pick<OrderDeps, 'db' | 'transact' | 'config' | 'log' | 'tryStep' | 'taxCalculator'>;

/** Stripe's largest amount, and well inside a 32-bit integer column. */
const MAX_ORDER_AMOUNT = 99_999_999;

/** The order the request names: an existing one (same input), or one placed now. */
export async function checkout(deps: CheckoutDeps, request: CheckoutRequest): Promise<OrderRow> {
  const { db, config, tryStep: urls } = deps;
  const { orderId, inputHash, buyer, details, method, couponCode, useStoreCredit } = request;
  // An order the key already names, and (refused before anything is held; checked again, under
  // lock, in the order's transaction) the customer's open orders: one round trip.
  const { order: existing, count: open } = await orderAndCustomerCount(db.manager, orderId, buyer.customerId, OPEN_STATUSES);
  if (existing) return sameInput(existing, inputHash);
  refuseAt(config, open);

  const token = config.SERVICE_TOKEN;
  let held: HeldLine[];
  try {
    held = (await callInternal<{ lines: HeldLine[] }>('inventory', `${urls.inventory}/internal/holds`, 'POST', token, { orderId, items: request.lines })).lines;
  } catch (err) {
    return orderOrUndo(deps, { orderId, inputHash, benefitsToo: false }, err);
  }
  try {
    const needsShipping = held.some((l) => l.requiresShipping);
    const missing = shippingProblem(needsShipping, details);
    if (missing) throw missing;
    const pricing: Pricing = { held, details, shippingRate: needsShipping ? method : null, needsShipping };
    const maxCredit = await mostDue(deps, pricing);
    if (maxCredit > MAX_ORDER_AMOUNT) throw badInput(`an order may total at most ${MAX_ORDER_AMOUNT} minor units; split it`);
    const currency = config.STORE_CURRENCY;
    // Nothing to hold in account without a coupon or credit: skip the call.
    const benefits =
      couponCode || useStoreCredit
        ? await callInternal<{ discount: number; storeCreditApplied: number; couponCode?: string | null }>(
            'account',
            `${urls.account}/internal/benefits`,
            'POST',
            token,
            { orderId, customerId: buyer.customerId, couponCode, useStoreCredit, subtotal: subtotalOf(held), maxCredit, currency },
          )
        : { discount: 0, storeCreditApplied: 0, couponCode: null };
    const totals = await priced(deps, pricing, benefits.discount, benefits.storeCreditApplied);
    const tooSmall = belowMinimumCharge(totals, currency);
    if (tooSmall) throw tooSmall;
    return await confirm(deps, request, {
      held,
      currency,
      totals,
      shippingMethod: needsShipping ? method : null,
      couponCode: benefits.couponCode ?? couponCode,
    });
  } catch (err) {
    return orderOrUndo(deps, { orderId, inputHash, benefitsToo: true }, err);
  }
}

/**
 * An amount due between 0 and Stripe's minimum charge can't be paid by card (Stripe answers
 * amount_too_small): refused before the order exists, naming what to change.
 */
function belowMinimumCharge(totals: Totals, currency: string): Error | null {
  const minimum = minimumCharge(currency);
  if (totals.amountDue === 0 || totals.amountDue >= minimum) return null;
  const extra = { minimumCharge: minimum, amountDue: totals.amountDue };
  return totals.discount > 0
    ? badInput(
        `With this coupon ${totals.amountDue} would be due, under Stripe's minimum charge of ${minimum} (${currency} minor units): drop the coupon or add to the order`,
        {
          ...extra,
          field: 'couponCode',
        },
      )
    : badInput(`An order must come to at least Stripe's minimum charge of ${minimum} (${currency} minor units), unless store credit pays all of it`, {
        ...extra,
        field: 'items',
      });
}

interface Pricing {
  held: HeldLine[];
  details: CheckoutDetails;
  shippingRate: ShippingRate | null;
  needsShipping: boolean;
}

/** The totals by the one pricing (totals.ts), tax from the TaxCalculator at the address tax follows. */
async function priced({ taxCalculator, config }: CheckoutDeps, p: Pricing, discount: number, storeCredit: number): Promise<Totals> {
  const taxable = taxableOf(p.held, discount, p.shippingRate);
  const included = config.STORE_PRICES_INCLUDE_TAX;
  const tax = await taxCalculator.calculateTax(taxable, taxAddressOf(p.needsShipping, p.details), included);
  return totalsOf(taxable, tax, included, storeCredit, minimumCharge(config.STORE_CURRENCY));
}

/**
 * The most this order can cost before credit (no discount, shipping at full price even past
 * freeOver, tax on that): account holds credit up to this, and gives back what the order then
 * did not use, once the exact totals are known.
 */
async function mostDue(deps: CheckoutDeps, p: Pricing): Promise<number> {
  const fullShipping = p.shippingRate && { price: p.shippingRate.price, freeOver: null };
  return (await priced(deps, { ...p, shippingRate: fullShipping }, 0, 0)).amountDue;
}

/** What the try step and the pricing settled. */
interface Settled {
  held: HeldLine[];
  couponCode: string | null;
  currency: string;
  totals: Totals;
  /** Null when nothing ships, whatever was chosen. */
  shippingMethod: ShippingMethodRow | null;
}

async function confirm({ transact, config }: Pick<OrderDeps, 'transact' | 'config'>, r: CheckoutRequest, s: Settled): Promise<OrderRow> {
  const now = new Date();
  const { details } = r;
  const method = s.shippingMethod;
  const order: OrderRow = {
    id: r.orderId,
    customerId: r.buyer.customerId,
    guest: r.buyer.guest,
    status: 'PENDING',
    ...s.totals,
    currency: s.currency,
    couponCode: s.couponCode,
    email: details.email,
    shippingAddress: details.shippingAddress,
    billingAddress: details.billingAddress,
    shippingMethodCode: method?.code ?? null,
    shippingMethodName: method?.name ?? null,
    cancellationReason: null,
    paymentProcessingAt: null,
    paymentId: null,
    checkoutSessionId: null,
    checkoutUrl: null,
    idempotencyKey: r.idempotencyKey,
    inputHash: r.inputHash,
    sequence: 1,
    createdAt: now,
    updatedAt: now,
  };
  const placed = await transact(async (tx) => {
    const { em } = tx;
    await refuseOverOpenLimit(config, em, order.customerId);
    // Queued, to travel with the COMMIT: a racing call with the same order id fails it with a duplicate key, and orderOrUndo answers.
    await queueWrite(em, em.createQueryBuilder().insert().into(OrderEntity).values(order));
    await queueWrite(
      em,
      em
        .createQueryBuilder()
        .insert()
        .into(OrderItemEntity)
        .values(
          s.held.map((l) => ({ orderId: order.id, productId: l.productId, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, currency: l.currency })),
        ),
    );
    await r.alsoInTransaction?.(tx, order);
    const created = newEvent(
      'order.created',
      order.id,
      {
        orderId: order.id,
        customerId: order.customerId,
        items: s.held.map(({ productId, name, quantity, unitPrice, requiresShipping }) => ({ productId, name, quantity, unitPrice, requiresShipping })),
        subtotal: order.subtotal,
        discount: order.discount,
        storeCreditApplied: order.storeCreditApplied,
        amountDue: order.amountDue,
        currency: order.currency,
        couponCode: order.couponCode,
        placedAt: now.toISOString(),
        email: order.email,
        shippingAddress: order.shippingAddress,
        billingAddress: order.billingAddress,
        shippingMethod: method && { code: method.code, name: method.name },
        shipping: order.shipping,
        tax: order.tax,
        taxIncluded: order.taxIncluded,
        benefitsHeld: !!(r.couponCode || r.useStoreCredit),
      },
      1,
    );
    await recordStatus(tx, { order, previous: null, reason: null, at: now, before: [created] });
    // Nothing to pay: the order is paid by discount and credit alone.
    if (order.amountDue === 0) {
      const paid = await transitionIn(tx, { orderId: order.id, to: 'PAID', reason: 'nothing to pay' });
      if (paid.kind === 'applied') return paid.order;
    }
    return order;
  });
  return placed;
}

/** The order an idempotency key already names, if it was placed with the same input (orders from before input hashes were kept pass). */
function sameInput(order: OrderRow, inputHash: string): OrderRow {
  if (order.inputHash && order.inputHash !== inputHash) {
    throw userError(
      'CONFLICT',
      'This idempotencyKey was already used for an order with other items, coupon, store credit, email, addresses or shipping method; use a new key',
    );
  }
  return order;
}

/**
 * MAX_OPEN_ORDERS: an unpaid order holds stock for the whole payment window, so a customer may
 * have only so many. In the order's transaction the count takes a lock (see countCustomerOrders),
 * so two concurrent checkouts cannot both see room.
 */
async function refuseOverOpenLimit(config: OrderDeps['config'], em: EntityManager, customerId: string): Promise<void> {
  refuseAt(config, await countCustomerOrders(em, customerId, OPEN_STATUSES));
}

function refuseAt(config: OrderDeps['config'], open: number): void {
  const max = config.MAX_OPEN_ORDERS;
  if (open >= max) {
    throw userError('LIMIT_EXCEEDED', `You have ${open} unpaid orders; pay or cancel one before placing another (at most ${max})`, { maxOpenOrders: max });
  }
}

interface Attempt {
  orderId: string;
  inputHash: string;
  /** Whether account may hold something too (the failure came after the stock was held). */
  benefitsToo: boolean;
}

/**
 * After a failure: the order may be written after all (a racing call with the same idempotency
 * key, or a commit whose answer was lost); its holds are then the order's and stay. Otherwise
 * whatever the try step held is released and the error goes to the client.
 */
async function orderOrUndo(deps: CheckoutDeps, attempt: Attempt, err: unknown): Promise<OrderRow> {
  const written = await findOrder(deps.db.manager, attempt.orderId).catch(() => null);
  if (written) return sameInput(written, attempt.inputHash);
  await undo(deps, attempt);
  throw err;
}

/** Releases whatever the try step held for this order; both calls are idempotent. */
async function undo({ config, tryStep: urls, log }: CheckoutDeps, { orderId, benefitsToo }: Attempt) {
  const token = config.SERVICE_TOKEN;
  const calls = [callInternal('inventory', `${urls.inventory}/internal/holds/${orderId}`, 'DELETE', token)];
  if (benefitsToo) calls.push(callInternal('account', `${urls.account}/internal/benefits/${orderId}`, 'DELETE', token));
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    // The sweeper releases it after HOLD_TTL if this call could not.
    if (r.status === 'rejected') log.warn({ err: (r.reason as Error).message, orderId }, 'could not release a hold now; the sweeper will');
  }
}
