// Gives held units back, exactly once per hold row (lib/platform/holds decides who gives back):
// the try step's undo, order.cancelled and the sweeper.
import { releaseHolds, sweepHolds } from '../../../../lib/platform/holds/index.js';
import type { Outcome } from '../../../../lib/platform/messaging/inbox.js';
import type { Transaction } from '../../../../lib/platform/messaging/transaction.js';
import { stockHolds } from '../persistence/stock-holds.js';
import type { InventoryDeps } from './deps.js';

/** The try step's undo; how many hold rows it released. */
export function releaseStock({ db }: Pick<InventoryDeps, 'db'>, { orderId }: { orderId: string }): Promise<number> {
  return db.transaction((em) => releaseHolds(em, stockHolds, orderId));
}

/** order.cancelled: a cancelled order's stock is available again. */
export async function releaseCancelledStock({ em }: Transaction, { orderId }: { orderId: string }): Promise<Outcome> {
  return (await releaseHolds(em, stockHolds, orderId)) > 0 ? 'applied' : 'stale';
}

/** The sweeper job: releases holds never confirmed within HOLD_TTL. */
export function sweepStockHolds({ db }: Pick<InventoryDeps, 'db'>, { now }: { now: Date }): Promise<number> {
  return sweepHolds(db, stockHolds, now);
}
