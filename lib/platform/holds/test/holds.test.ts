// The generic hold moves against a real database (SQLite, or MariaDB when DATABASE_URL is set),
// with a throwaway kind of hold: whatever races, a hold's resource is taken and given back once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { onMariaDb } from '../../../testkit/config.js';
import { GraphQLError } from 'graphql';
import { userError } from '../../../contracts/errors.js';
import { confirmHolds, releaseHolds, reserve, settleHolds, sweepHolds } from '../index.js';
import { newPool, poolOf, statusesOf, takeTokens, tokenDatabase, tokenHolds } from './fixture.js';

const db = await tokenDatabase();
const HOUR = 3_600_000;

/** Holds `quantity` tokens of each pool for an order; answers the pools it holds. */
function holdTokens(orderId: string, pools: string[], quantity = 1, holdTtlMs = HOUR) {
  return reserve({ db, holdTtlMs }, tokenHolds, {
    orderId,
    lines: pools.map((pool) => ({ orderId, pool, quantity })),
    async take(em) {
      const short = await takeTokens(
        em,
        pools.map((pool) => ({ pool, quantity })),
      );
      if (short.length) throw userError('OUT_OF_STOCK', 'short', { pools: short });
      return { answer: [...pools].sort() };
    },
    answerFrom: async (_em, live) => live.map((h) => h.pool),
  });
}

const codeOf = (err: unknown) => (err instanceof GraphQLError ? err.extensions.code : err);

function confirmTokens(orderId: string, pools: string[], quantity = 1) {
  return db.transaction((em) =>
    confirmHolds(em, tokenHolds, {
      orderId,
      expected: pools.map((pool) => ({ orderId, pool, quantity })),
      async takeAgain(em, lines) {
        const short = await takeTokens(em, lines);
        if (!short.length) return null;
        for (const l of lines.filter((x) => !short.includes(x.pool)))
          await tokenHolds.giveBack(em, { ...l, status: 'EXPIRED', expiresAt: new Date(), createdAt: new Date() });
        return short;
      },
    }),
  );
}

const expireNow = (orderId: string) => db.manager.update('TokenHold', { orderId }, { expiresAt: new Date(Date.now() - 1000) });

test('the try step takes once: a retry answers from the live holds, racing calls for one order take once', async () => {
  const [a, b] = [await newPool(db, 10), await newPool(db, 10)];
  const orderId = randomUUID();
  assert.deepEqual(await holdTokens(orderId, [a, b]), [a, b].sort());
  assert.deepEqual(await holdTokens(orderId, [a, b]), [a, b].sort(), 'a retry answers the same');
  assert.deepEqual(await poolOf(db, a), { available: 9, used: 0 });

  const racing = randomUUID();
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => holdTokens(racing, [a])));
  for (const r of results) if (r.status === 'rejected') assert.equal(codeOf(r.reason), 'CONFLICT');
  assert.ok(results.some((r) => r.status === 'fulfilled'));
  assert.deepEqual(await poolOf(db, a), { available: 8, used: 0 }, 'taken once');
});

test('a refused take keeps nothing; after an undo, a retry of the same order clears it and takes afresh', async () => {
  const [a, b] = [await newPool(db, 5), await newPool(db, 0)];
  const orderId = randomUUID();
  await assert.rejects(holdTokens(orderId, [a, b]), (err) => codeOf(err) === 'OUT_OF_STOCK');
  assert.deepEqual(await poolOf(db, a), { available: 5, used: 0 });
  assert.deepEqual(await statusesOf(db, orderId), []);

  await holdTokens(orderId, [a], 2);
  assert.equal(await db.transaction((em) => releaseHolds(em, tokenHolds, orderId)), 1);
  assert.deepEqual(await statusesOf(db, orderId), ['RELEASED']);
  await holdTokens(orderId, [a], 2);
  assert.deepEqual(await statusesOf(db, orderId), ['HELD']);
  assert.deepEqual(await poolOf(db, a), { available: 3, used: 0 });
});

test('racing releases of one order give back exactly once', async () => {
  const pool = await newPool(db, 10);
  const orderId = randomUUID();
  await holdTokens(orderId, [pool], 4);
  const released = await Promise.all(Array.from({ length: 10 }, () => db.transaction((em) => releaseHolds(em, tokenHolds, orderId))));
  assert.equal(
    released.reduce((a, b) => a + b, 0),
    1,
  );
  assert.deepEqual(await poolOf(db, pool), { available: 10, used: 0 });
});

test('the sweeper gives back only overdue unconfirmed holds, once, even when sweeps race', async () => {
  const pool = await newPool(db, 10);
  const [overdue, confirmed, fresh] = [randomUUID(), randomUUID(), randomUUID()];
  for (const id of [overdue, confirmed, fresh]) await holdTokens(id, [pool]);
  assert.equal(await confirmTokens(confirmed, [pool]), 'applied');
  await expireNow(overdue);
  await expireNow(confirmed);
  await Promise.all([sweepHolds(db, tokenHolds), sweepHolds(db, tokenHolds)]);
  assert.deepEqual(await statusesOf(db, overdue), ['EXPIRED']);
  assert.deepEqual(await statusesOf(db, confirmed), ['CONFIRMED']);
  assert.deepEqual(await statusesOf(db, fresh), ['HELD']);
  assert.deepEqual(await poolOf(db, pool), { available: 8, used: 0 });
});

test('a late order.created takes an expired hold again; when it cannot, nothing stays taken', async () => {
  const [a, b] = [await newPool(db, 2), await newPool(db, 2)];
  const [late, lost] = [randomUUID(), randomUUID()];
  await holdTokens(late, [a, b]);
  await holdTokens(lost, [a, b]);
  await Promise.all([expireNow(late), expireNow(lost)]);
  await sweepHolds(db, tokenHolds);
  assert.deepEqual(await confirmTokens(late, [a, b]), 'applied');
  assert.deepEqual(await statusesOf(db, late), ['CONFIRMED', 'CONFIRMED']);
  await holdTokens(randomUUID(), [b]); // b's last token goes to another order
  assert.deepEqual(await confirmTokens(lost, [a, b]), { lost: [b] });
  assert.deepEqual(await poolOf(db, a), { available: 1, used: 0 }, 'what the failed re-take got was given back');
});

test('cancelling an expired hold marks it released without giving back twice, and a late order.created is stale', async () => {
  const pool = await newPool(db, 3);
  const orderId = randomUUID();
  await holdTokens(orderId, [pool]);
  await expireNow(orderId);
  await sweepHolds(db, tokenHolds);
  assert.equal(await db.transaction((em) => releaseHolds(em, tokenHolds, orderId)), 1);
  assert.deepEqual(await statusesOf(db, orderId), ['RELEASED']);
  assert.equal(await confirmTokens(orderId, [pool]), 'stale');
  assert.deepEqual(await poolOf(db, pool), { available: 3, used: 0 });
});

test('payment uses up live holds, and expired ones from what is available now or reports them missed', async () => {
  const [a, b] = [await newPool(db, 3), await newPool(db, 1)];
  const [live, expired] = [randomUUID(), randomUUID()];
  await holdTokens(live, [a]);
  await holdTokens(expired, [a, b]);
  await expireNow(expired);
  await sweepHolds(db, tokenHolds);
  await holdTokens(randomUUID(), [b]); // b's token goes to another order meanwhile
  const paid = await db.transaction((em) => settleHolds(em, tokenHolds, live));
  assert.equal(paid.moved.length, 1);
  const late = await db.transaction((em) => settleHolds(em, tokenHolds, expired));
  assert.deepEqual(
    late.missed.map((h) => h.pool),
    [b],
  );
  assert.deepEqual(await poolOf(db, a), { available: 1, used: 2 });
  assert.deepEqual((await statusesOf(db, expired)).sort(), ['EXPIRED', 'SETTLED']);
  assert.equal(await db.transaction((em) => releaseHolds(em, tokenHolds, live)), 0, 'a settled hold is never given back');
});

test(
  'MariaDB: a payment whose transaction saw the hold before order.created confirmed it still uses it up',
  { skip: !onMariaDb && 'SQLite runs one transaction at a time' },
  async () => {
    const pool = await newPool(db, 2);
    const orderId = randomUUID();
    await holdTokens(orderId, [pool]);
    const paid = await db.transaction(async (em) => {
      // The payment's transaction (say, a batch) has read before: its snapshot has the hold HELD.
      await em.query('SELECT status FROM token_holds WHERE order_id = ?', [orderId]);
      await confirmTokens(orderId, [pool]); // order.created commits meanwhile, in another transaction
      return settleHolds(em, tokenHolds, orderId);
    });
    assert.equal(paid.moved.length, 1);
    assert.deepEqual(await statusesOf(db, orderId), ['SETTLED']);
    assert.deepEqual(await poolOf(db, pool), { available: 1, used: 1 });
  },
);
