// The hold lifecycle, shared by stock holds (inventory) and benefit holds (account): one
// declarative table of which status may follow which, and what each move does to what the hold
// took. Every status change in lib/platform/holds is an edge of this table.

export type HoldStatus = 'HELD' | 'CONFIRMED' | 'SETTLED' | 'RELEASED' | 'EXPIRED';

/**
 * What a move does to the resource a hold took (units of stock, a coupon redemption, store credit):
 * - keep: nothing, only the status changes;
 * - give-back: returned to availability, by the one caller whose conditional update moved the row;
 * - take-again: taken again, all or nothing, after the sweeper gave it back;
 * - use-up: consumed for good (sold stock leaves the shelf);
 * - use-up-afresh: consumed straight from what is available now, since the hold had expired.
 */
export type HoldEffect = 'keep' | 'give-back' | 'take-again' | 'use-up' | 'use-up-afresh';

export const HOLD_TRANSITIONS: Readonly<Record<HoldStatus, Readonly<Partial<Record<HoldStatus, HoldEffect>>>>> = {
  // order.created confirms; order.paid settles (a payment can beat order.created); order.cancelled
  // or the try step's undo releases; the sweeper expires a hold nobody confirmed within HOLD_TTL.
  HELD: { CONFIRMED: 'keep', SETTLED: 'use-up', RELEASED: 'give-back', EXPIRED: 'give-back' },
  CONFIRMED: { SETTLED: 'use-up', RELEASED: 'give-back' },
  // Swept before its order.created arrived: a late order.created takes it again, order.paid uses up
  // what is available now, and order.cancelled marks it RELEASED (already given back) so that a
  // late order.created finds the order cancelled and does not take it again.
  EXPIRED: { CONFIRMED: 'take-again', SETTLED: 'use-up-afresh', RELEASED: 'keep' },
  SETTLED: {},
  RELEASED: {},
};

const STATUSES = Object.keys(HOLD_TRANSITIONS) as HoldStatus[];

/** A retried try step answers from these: the order holds (or has used up) what it asked for. */
export const LIVE_STATUSES: readonly HoldStatus[] = ['HELD', 'CONFIRMED', 'SETTLED'];

/** Holds that gave their resource back: a retried try step clears them and takes afresh. */
export const GIVEN_BACK_STATUSES: readonly HoldStatus[] = STATUSES.filter((s) => !LIVE_STATUSES.includes(s));

/** What moving a hold from one status to another does, or null when the table has no such edge. */
export const effectOf = (from: HoldStatus, to: HoldStatus): HoldEffect | null => HOLD_TRANSITIONS[from][to] ?? null;

/** The statuses a hold can reach `to` from. */
export const sourcesOf = (to: HoldStatus): HoldStatus[] => STATUSES.filter((from) => effectOf(from, to) !== null);

/** No edge leaves these: the order was paid or cancelled. */
export const isFinal = (status: HoldStatus): boolean => Object.keys(HOLD_TRANSITIONS[status]).length === 0;
