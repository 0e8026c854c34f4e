// The hold lifecycle table: every edge the checkout relies on, and none it must not take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectOf, GIVEN_BACK_STATUSES, HOLD_TRANSITIONS, isFinal, LIVE_STATUSES, sourcesOf, type HoldStatus } from '../lifecycle.js';

const ALL = Object.keys(HOLD_TRANSITIONS) as HoldStatus[];

test('the try step holds; order.created confirms; order.paid settles a held or confirmed hold, using it up', () => {
  assert.equal(effectOf('HELD', 'CONFIRMED'), 'keep');
  assert.equal(effectOf('HELD', 'SETTLED'), 'use-up');
  assert.equal(effectOf('CONFIRMED', 'SETTLED'), 'use-up');
});

test('a cancellation or the undo gives back a held or confirmed hold; the sweeper gives back only unconfirmed ones', () => {
  assert.equal(effectOf('HELD', 'RELEASED'), 'give-back');
  assert.equal(effectOf('CONFIRMED', 'RELEASED'), 'give-back');
  assert.deepEqual(sourcesOf('EXPIRED'), ['HELD']);
  assert.equal(effectOf('HELD', 'EXPIRED'), 'give-back');
});

test('an expired hold is taken again by a late order.created, used up afresh on payment, and only marked on cancel', () => {
  assert.equal(effectOf('EXPIRED', 'CONFIRMED'), 'take-again');
  assert.equal(effectOf('EXPIRED', 'SETTLED'), 'use-up-afresh');
  assert.equal(effectOf('EXPIRED', 'RELEASED'), 'keep', 'the sweeper gave it back already: giving back again would double it');
});

test('settled and released holds are final; nothing returns to HELD', () => {
  assert.deepEqual(
    ALL.filter((s) => isFinal(s)),
    ['SETTLED', 'RELEASED'],
  );
  assert.deepEqual(sourcesOf('HELD'), []);
  for (const to of ALL) assert.equal(effectOf('SETTLED', to), null);
  for (const to of ALL) assert.equal(effectOf('RELEASED', to), null);
});

test('a retried try step answers from live holds and clears given-back ones', () => {
  assert.deepEqual([...LIVE_STATUSES].sort(), ['CONFIRMED', 'HELD', 'SETTLED']);
  assert.deepEqual([...GIVEN_BACK_STATUSES].sort(), ['EXPIRED', 'RELEASED']);
});

test('only confirming an expired hold takes anything again', () => {
  const edges = ALL.flatMap((from) => ALL.map((to) => ({ from, to, effect: effectOf(from, to) })));
  assert.deepEqual(
    edges.filter((e) => e.effect === 'take-again').map((e) => `${e.from}→${e.to}`),
    ['EXPIRED→CONFIRMED'],
  );
});
