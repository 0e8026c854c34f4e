// One holds module for every subgraph that holds something for an order until it is paid or
// cancelled: the lifecycle table and the generic moves. A subgraph supplies its table and what
// taking and giving back mean for its resource (stock; coupon and store credit).
export type { HoldKind, HoldRow, HoldRowInput } from './hold-kind.js';
export { GIVEN_BACK_STATUSES, HOLD_TRANSITIONS, type HoldEffect, type HoldStatus } from './lifecycle.js';
export { reserve, type Reservation, type Taken } from './reserve.js';
export { confirmHolds, type Confirmation, type Confirmed } from './confirm.js';
export { releaseHolds, settleHolds, sweepHolds } from './settle-release.js';
