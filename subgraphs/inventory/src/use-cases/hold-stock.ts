// The try step's inventory half: hold every line of an order, all or nothing, idempotent per order
// id (lib/platform/holds reserves; this file says what taking stock means and what it answers).
import type { EntityManager } from 'typeorm';
import { placeholders, readRows, readThenChange, rowsQuery } from '../../../../lib/platform/db/raw-rows.js';
import { badInput, userError } from '../../../../lib/contracts/errors.js';
import { reserve } from '../../../../lib/platform/holds/index.js';
import { validateLines, type HeldLine, type HoldLine } from '../../../../lib/contracts/order-lines.js';
import { ProductEntity, type ProductRow } from '../persistence/entities.js';
import { shortOf, stockHolds, takeStockWrites } from '../persistence/stock-holds.js';
import type { InventoryDeps } from './deps.js';

export async function holdStock(
  { db, config }: Pick<InventoryDeps, 'db' | 'config'>,
  { orderId, lines }: { orderId: string; lines: HoldLine[] },
): Promise<HeldLine[]> {
  const wanted = validateLines(lines);
  return reserve({ db, holdTtlMs: config.HOLD_TTL }, stockHolds, {
    orderId,
    lines: wanted.map((l) => ({ orderId, productId: l.productId, quantity: l.quantity })),
    async take(em) {
      // The products and the taking in one round trip: an unknown product's line takes nothing,
      // and the refusal below rolls the rest back.
      const [rows, taken] = await readThenChange(em, productsQuery(em, wanted), takeStockWrites(wanted));
      const products = byId(rows);
      const unknown = wanted.filter((l) => !products.has(l.productId)).map((l) => l.productId);
      if (unknown.length) throw badInput(`unknown product: ${unknown.join(', ')}`, { productIds: unknown });
      const short = shortOf(wanted, taken);
      if (short.length) throw userError('OUT_OF_STOCK', `Not enough stock for: ${short.join(', ')}`, { productIds: short });
      return { answer: priced(wanted, products) };
    },
    answerFrom: async (em, live) => priced(live, await productsOf(em, live)),
  });
}

const productsQuery = (em: EntityManager, lines: HoldLine[]) =>
  rowsQuery(
    em,
    ProductEntity,
    `id IN (${placeholders(lines.length)})`,
    lines.map((l) => l.productId),
  );

const byId = (products: ProductRow[]) => new Map(products.map((p) => [p.id, p]));

const productsOf = async (em: EntityManager, lines: HoldLine[]) => byId(await readRows(em, productsQuery(em, lines)));

/** Lines (in product order) with the name, price and shipping need each product has now. */
function priced(lines: HoldLine[], products: Map<string, ProductRow>): HeldLine[] {
  return lines.map((l) => {
    const p = products.get(l.productId)!;
    return { productId: p.id, name: p.name, quantity: l.quantity, unitPrice: p.price, currency: p.currency, requiresShipping: p.requiresShipping };
  });
}
