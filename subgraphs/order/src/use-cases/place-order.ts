// placeOrder, the checkout's first step:
//   validate (nothing written on failure) → pick the order id →
//   try: inventory holds the lines, account holds coupon and credit (the one synchronous fan-out) →
//   confirm: one transaction writes the order (PENDING), its history and order.created.
// Any failure after a hold releases what was held before the mutation returns.
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { AuthUser } from '../../../../lib/auth.js';
import { newEvent } from '../../../../lib/broker/events.js';
import { badInput } from '../../../../lib/errors.js';
import { callInternal } from '../../../../lib/internal-http.js';
import type { Runtime } from '../../../../lib/service.js';
import { validateLines } from '../../../../lib/domain/order-lines.js';
import { totalsOf } from '../domain/totals.js';
import { OrderEntity, OrderItemEntity, type OrderRow } from '../persistence/entities.js';
import { recordStatus, transitionIn } from './transition.js';

export interface PlaceOrderInput {
  items: { productId: string; quantity: number }[];
  couponCode?: string | null;
  useStoreCredit?: boolean | null;
  idempotencyKey?: string | null;
}

export interface TryStepUrls {
  inventory: string;
  account: string;
}

/** Stripe's largest amount, and well inside a 32-bit integer column. */
const MAX_ORDER_AMOUNT = 99_999_999;

/** Idempotency keys are per customer: the same key from the same customer names the same order. */
const IDEMPOTENCY_NAMESPACE = '6f1c1f4e-3f8a-4a0e-9d4c-0c7c2b8f5a11';
const orderIdFor = (customerId: string, key: string | null | undefined) => (key ? uuidv5(`${customerId}\n${key}`, IDEMPOTENCY_NAMESPACE) : randomUUID());

interface HeldLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
  currency: string;
}

export async function placeOrder(rt: Runtime, urls: TryStepUrls, user: AuthUser, input: PlaceOrderInput): Promise<OrderRow> {
  const lines = validateLines(input.items);
  const couponCode = input.couponCode?.trim() || null;
  if (couponCode && couponCode.length > 64) throw badInput('couponCode is too long');
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null && (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 200)) {
    throw badInput('idempotencyKey must be 1 to 200 characters');
  }
  const orderId = orderIdFor(user.id, input.idempotencyKey);
  const existing = await rt.db.manager.findOneBy(OrderEntity, { id: orderId });
  if (existing) return existing;

  const token = rt.config.SERVICE_TOKEN;
  let held: HeldLine[];
  try {
    held = (await callInternal<{ lines: HeldLine[] }>(`${urls.inventory}/internal/holds`, 'POST', token, { orderId, items: lines })).lines;
  } catch (err) {
    return orderOrUndo(rt, urls, orderId, false, err);
  }
  try {
    const subtotal = held.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
    if (subtotal > MAX_ORDER_AMOUNT) throw badInput(`an order may total at most ${MAX_ORDER_AMOUNT} minor units; split it`);
    const currency = rt.config.STORE_CURRENCY;
    // Nothing to hold in account without a coupon or credit: skip the call.
    const wantsBenefits = !!couponCode || !!input.useStoreCredit;
    const benefits = wantsBenefits
      ? await callInternal<{ discount: number; storeCreditApplied: number; couponCode?: string | null }>(`${urls.account}/internal/benefits`, 'POST', token, {
          orderId,
          customerId: user.id,
          couponCode,
          useStoreCredit: !!input.useStoreCredit,
          subtotal,
          currency,
        })
      : { discount: 0, storeCreditApplied: 0, couponCode: null };
    return await confirm(rt, {
      orderId,
      user,
      held,
      currency,
      idempotencyKey: input.idempotencyKey ?? null,
      discount: benefits.discount,
      storeCreditApplied: benefits.storeCreditApplied,
      couponCode: benefits.couponCode ?? couponCode,
    });
  } catch (err) {
    return orderOrUndo(rt, urls, orderId, true, err);
  }
}

interface Confirmation {
  orderId: string;
  user: AuthUser;
  held: HeldLine[];
  couponCode: string | null;
  currency: string;
  idempotencyKey: string | null;
  discount: number;
  storeCreditApplied: number;
}

async function confirm(rt: Runtime, c: Confirmation): Promise<OrderRow> {
  const totals = totalsOf(c.held, c.discount, c.storeCreditApplied);
  const now = new Date();
  const order: OrderRow = {
    id: c.orderId,
    customerId: c.user.id,
    status: 'PENDING',
    ...totals,
    currency: c.currency,
    couponCode: c.couponCode,
    cancellationReason: null,
    idempotencyKey: c.idempotencyKey,
    sequence: 1,
    createdAt: now,
    updatedAt: now,
  };
  const placed = await rt.db.transaction(async (em) => {
    await em.insert(OrderEntity, order);
    await em.insert(
      OrderItemEntity,
      c.held.map((l) => ({ orderId: order.id, productId: l.productId, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, currency: l.currency })),
    );
    const created = newEvent(
      'order.created',
      order.id,
      {
        orderId: order.id,
        customerId: order.customerId,
        items: c.held.map(({ productId, name, quantity, unitPrice }) => ({ productId, name, quantity, unitPrice })),
        subtotal: order.subtotal,
        discount: order.discount,
        storeCreditApplied: order.storeCreditApplied,
        amountDue: order.amountDue,
        currency: order.currency,
        couponCode: order.couponCode,
        placedAt: now.toISOString(),
      },
      1,
    );
    await recordStatus(em, order, null, null, now, [created]);
    // Nothing to pay: the order is paid by discount and credit alone.
    if (order.amountDue === 0) {
      const paid = await transitionIn(em, rt.db.dialect, order.id, 'PAID', 'nothing to pay');
      if (paid.kind === 'applied') return paid.order;
    }
    return order;
  });
  return placed;
}

/**
 * After a failure: the order may be written after all (a racing call with the same idempotency
 * key, or a commit whose answer was lost); its holds are then the order's and stay. Otherwise
 * whatever the try step held is released and the error goes to the client.
 */
async function orderOrUndo(rt: Runtime, urls: TryStepUrls, orderId: string, benefitsToo: boolean, err: unknown): Promise<OrderRow> {
  const written = await rt.db.manager.findOneBy(OrderEntity, { id: orderId }).catch(() => null);
  if (written) return written;
  await undo(rt, urls, orderId, benefitsToo);
  throw err;
}

/** Releases whatever the try step held for this order; both calls are idempotent. */
async function undo(rt: Runtime, urls: TryStepUrls, orderId: string, benefitsToo: boolean) {
  const token = rt.config.SERVICE_TOKEN;
  const calls = [callInternal(`${urls.inventory}/internal/holds/${orderId}`, 'DELETE', token)];
  if (benefitsToo) calls.push(callInternal(`${urls.account}/internal/benefits/${orderId}`, 'DELETE', token));
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    // The sweeper releases it after HOLD_TTL if this call could not.
    if (r.status === 'rejected') rt.log.warn({ err: (r.reason as Error).message, orderId }, 'could not release a hold now; the sweeper will');
  }
}
