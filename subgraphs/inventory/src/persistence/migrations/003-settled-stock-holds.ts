import { settledStatusMigration } from '../../../../../lib/platform/holds/renamed-status.js';

/** Sold stock holds take the hold lifecycle's name for a hold whose order was paid: SOLD becomes SETTLED. */
export const SettledStockHolds1732000000302 = settledStatusMigration('SettledStockHolds1732000000302', 'stock_holds', 'SOLD');
