// OrderFollow's ordering rule without a database or a broker: the current state first, then each
// later sequence once and in order, whatever the events' order or duplication; a history that lags
// behind the event is read again; completion after FINISHED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OrderStatus } from '../../../../lib/contracts/events.js';
import { createLogger } from '../../../../lib/platform/observability/logger.js';
import type { OrderRow } from '../persistence/entities.js';
import { afterChange, OrderFollow, type OrderNow } from './order-follow.js';

const LIFE: OrderStatus[] = ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'];
const log = createLogger('test', 'silent');

/** An order whose history holds the first `length` transitions of LIFE. */
function orderWith(length: number): OrderNow {
  const history = LIFE.slice(0, length).map((status, i) => ({ orderId: 'o1', sequence: i + 1, status, reason: null, at: new Date() }));
  return { order: { id: 'o1', customerId: 'c1', status: LIFE[length - 1] } as OrderRow, history };
}

async function drain(follow: OrderFollow): Promise<[OrderStatus, number][]> {
  const seen: [OrderStatus, number][] = [];
  for await (const push of follow) seen.push([push.orderStatusChanged.status, push.orderStatusChanged.asOfSequence]);
  return seen;
}

test('events out of order and duplicated are pushed once each, in order, and the stream completes at FINISHED', async () => {
  let stored = 2;
  let ended = false;
  const follow = new OrderFollow(
    'o1',
    async () => orderWith(stored),
    log,
    () => (ended = true),
  );
  await follow.start(orderWith(2));
  const pushes = drain(follow);
  stored = 4;
  follow.onEvent(4); // FINISHED first: PAID is filled in from the history
  follow.onEvent(3);
  follow.onEvent(2);
  follow.onEvent(4);
  assert.deepEqual(await pushes, [
    ['WAITING_FOR_PAYMENT', 2],
    ['PAID', 3],
    ['FINISHED', 4],
  ]);
  assert.ok(ended);
});

test('a history that does not show the event yet is read again until it does', async () => {
  let reads = 0;
  // The retry timers are unref'd (they must not hold a process open): hold this one open meanwhile.
  const awake = setTimeout(() => undefined, 10_000);
  const follow = new OrderFollow(
    'o1',
    async () => orderWith(++reads < 3 ? 2 : 3),
    log,
    () => undefined,
  );
  await follow.start(orderWith(2));
  const it = follow[Symbol.asyncIterator]();
  assert.equal((await it.next()).value?.orderStatusChanged.status, 'WAITING_FOR_PAYMENT');
  follow.onEvent(3);
  assert.equal((await it.next()).value?.orderStatusChanged.status, 'PAID');
  assert.ok(reads >= 3);
  clearTimeout(awake);
  await it.return!();
  assert.equal((await it.next()).done, true);
});

test('an event that arrives while the current state is read is not pushed twice', async () => {
  let stored = 2;
  const follow = new OrderFollow(
    'o1',
    async () => orderWith(stored),
    log,
    () => undefined,
  );
  // The subscriber is registered for events before the current state is read: here the event wins.
  follow.onEvent(2);
  await follow.start(orderWith(2));
  stored = 4;
  follow.onEvent(4);
  assert.deepEqual(await drain(follow), [
    ['PENDING', 1],
    ['WAITING_FOR_PAYMENT', 2],
    ['PAID', 3],
    ['FINISHED', 4],
  ]);
});

test("an event's read is shared by the order's followers, and a retry reads afresh", async () => {
  const awake = setTimeout(() => undefined, 10_000);
  let ownReads = 0;
  let sharedReads = 0;
  const followers = [1, 2, 3].map(
    () =>
      new OrderFollow(
        'o1',
        async () => (ownReads++, orderWith(4)),
        log,
        () => undefined,
      ),
  );
  for (const f of followers) await f.start(orderWith(2));
  const pushes = followers.map(drain);
  // What LiveStatus hands each follower for one event: one read, started once, shared. It lags
  // behind FINISHED, so each follower retries on its own.
  let shared: Promise<OrderNow> | null = null;
  const read = () => (shared ??= (sharedReads++, Promise.resolve(orderWith(3))));
  for (const f of followers) f.onEvent(4, read);
  for (const seen of await Promise.all(pushes)) {
    assert.deepEqual(seen, [
      ['WAITING_FOR_PAYMENT', 2],
      ['PAID', 3],
      ['FINISHED', 4],
    ]);
  }
  clearTimeout(awake);
  assert.equal(sharedReads, 1);
  assert.equal(ownReads, 3, 'one retry per follower, through its own read');
});

test('the next transition is pushed from its event without a read; a gap is read from the history', async () => {
  let reads = 0;
  const follow = new OrderFollow(
    'o1',
    async () => (reads++, orderWith(4)),
    log,
    () => undefined,
  );
  await follow.start(orderWith(1));
  const pushed: { status: OrderStatus; sequence: number; updatedAt: number }[] = [];
  const done = (async () => {
    for await (const { orderStatusChanged: o } of follow) pushed.push({ status: o.status, sequence: o.asOfSequence, updatedAt: o.updatedAt?.getTime() ?? 0 });
  })();
  const at = '2026-12-07T10:00:00.000Z';
  follow.onEvent(2, undefined, { sequence: 2, status: 'WAITING_FOR_PAYMENT', reason: null, at });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(reads, 0, 'WAITING_FOR_PAYMENT follows what was pushed: no read');
  // FINISHED before PAID's event (a gap): the history is read, and fills PAID in.
  follow.onEvent(4, undefined, { sequence: 4, status: 'FINISHED', reason: null, at });
  await done;
  assert.equal(reads, 1);
  assert.deepEqual(
    pushed.map((p) => [p.status, p.sequence]),
    [
      ['PENDING', 1],
      ['WAITING_FOR_PAYMENT', 2],
      ['PAID', 3],
      ['FINISHED', 4],
    ],
  );
  assert.equal(pushed[1]!.updatedAt, Date.parse(at), "the pushed order's updatedAt is the transition's");
});

test("a transition's payment link is taken from its event; an event without one keeps the order's", () => {
  const at = '2026-12-07T10:00:00.000Z';
  const link = { paymentId: 'p1', sessionId: 'cs_test_1', checkoutUrl: 'http://127.0.0.1/pay/cs_test_1' };
  const waiting = afterChange(orderWith(1), { sequence: 2, status: 'WAITING_FOR_PAYMENT', reason: null, at, payment: link });
  assert.deepEqual(
    [waiting.order.paymentId, waiting.order.checkoutSessionId, waiting.order.checkoutUrl],
    ['p1', 'cs_test_1', 'http://127.0.0.1/pay/cs_test_1'],
  );
  // An event written before events carried the link (undefined) leaves it as it was.
  const paid = afterChange(waiting, { sequence: 3, status: 'PAID', reason: 'payment received', at });
  assert.equal(paid.order.checkoutSessionId, 'cs_test_1');
  assert.equal(paid.order.status, 'PAID');
});
