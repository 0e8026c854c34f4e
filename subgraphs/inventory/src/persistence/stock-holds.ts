// Stock holds for the holds module: one row per (order, product), and what taking, giving back and
// selling stock mean on the products table. Every statement is conditional or relative (never
// read-modify-write), products in a fixed order, so concurrent orders never oversell.
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { queueWrite } from '../../../../lib/platform/db/folded-statements.js';
import { changedByEach, type Statement } from '../../../../lib/platform/db/raw-rows.js';
import type { HoldKind } from '../../../../lib/platform/holds/index.js';
import type { HoldLine } from '../../../../lib/contracts/order-lines.js';
import { ProductEntity, StockHoldEntity, type ProductRow, type StockHoldRow } from './entities.js';

export const stockHolds: HoldKind<StockHoldRow> = {
  entity: StockHoldEntity,
  lineKey: 'productId',
  giveBack: (em, h) => returnHeld(em, h.productId, h.quantity),
  // Held units leave the shelf: stockOnHand and held go down together.
  useUp: (em, h) => changeStock(em, h.productId, { held: () => `held - ${h.quantity}`, stockOnHand: () => `stock_on_hand - ${h.quantity}` }),
  useUpAfresh: (em, h) => sellAvailable(em, h.productId, h.quantity),
};

/** One conditional UPDATE per line: adds it to `held` where enough is available. */
export const takeStockWrites = (lines: HoldLine[]): Statement[] =>
  lines.map((l) => ({ sql: 'UPDATE products SET held = held + ? WHERE id = ? AND stock_on_hand - held >= ?', values: [l.quantity, l.productId, l.quantity] }));

/** The products whose line took nothing, from takeStockWrites' changed-row counts. */
export const shortOf = (lines: HoldLine[], taken: number[]): string[] => lines.filter((_, i) => !taken[i]).map((l) => l.productId);

/** Adds each line to `held` where enough is available (all lines in one round trip); returns the products that were short. */
export async function takeStock(em: EntityManager, lines: HoldLine[]): Promise<string[]> {
  return shortOf(lines, await changedByEach(em, takeStockWrites(lines)));
}

/** Gives held units back to a product's availability. */
export const returnHeld = (em: EntityManager, productId: string, quantity: number) => changeStock(em, productId, { held: () => `held - ${quantity}` });

/** Sells units straight from what is available (never below it); false when they are not there. */
async function sellAvailable(em: EntityManager, productId: string, quantity: number): Promise<boolean> {
  const taken = await em
    .createQueryBuilder()
    .update(ProductEntity)
    .set({ stockOnHand: () => `stock_on_hand - ${quantity}` })
    .where('id = :id AND stock_on_hand - held >= :q', { id: productId, q: quantity })
    .execute();
  return !!taken.affected;
}

/** Unconditional and relative, so it cannot fail for a reason the caller would handle: queued (folded-statements.ts). */
async function changeStock(em: EntityManager, productId: string, change: QueryDeepPartialEntity<ProductRow>): Promise<void> {
  await queueWrite(em, em.createQueryBuilder().update(ProductEntity).set(change).where('id = :id', { id: productId }));
}
