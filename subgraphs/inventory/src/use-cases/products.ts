// Admin catalog changes and the demo catalog.
import { randomUUID } from 'node:crypto';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { badInput, notFound, userError } from '../../../../lib/contracts/errors.js';
import { productInputProblem, type ProductInput } from '../domain/products.js';
import { productChanged } from '../messaging/product-events.js';
import { ProductEntity, type ProductRow } from '../persistence/entities.js';
import type { InventoryDeps } from './deps.js';

/** Creates a product and, in the same transaction, the product.changed carts price it from. */
export async function createProduct(
  { transact, config }: Pick<InventoryDeps, 'transact' | 'config'>,
  input: ProductInput & { actorId: string },
): Promise<ProductRow> {
  const problem = productInputProblem(input, config.STORE_CURRENCY);
  if (problem) throw badInput(problem);
  const row: ProductRow = {
    id: randomUUID(),
    sku: input.sku.trim(),
    name: input.name.trim(),
    description: input.description ?? null,
    price: input.price,
    currency: input.currency,
    stockOnHand: input.stockOnHand,
    held: 0,
    requiresShipping: input.requiresShipping ?? true,
    createdAt: new Date(),
  };
  try {
    await transact(async ({ em, enqueue }) => {
      await em.insert(ProductEntity, row);
      await enqueue(productChanged(row), adminAction(input.actorId, 'createProduct', row.id, `${row.sku}: ${row.name}`));
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw userError('CONFLICT', `A product with sku ${row.sku} already exists`);
    throw err;
  }
  return row;
}

export interface RestockInput {
  actorId: string;
  productId: string;
  quantity: number;
}

export async function restock({ transact }: Pick<InventoryDeps, 'transact'>, { actorId, productId, quantity }: RestockInput): Promise<ProductRow> {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000_000) throw badInput('quantity must be a whole number from 1 to 10000000');
  return transact(async ({ em, enqueue }) => {
    const r = await em
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ stockOnHand: () => `stock_on_hand + ${quantity}` })
      .where('id = :id', { id: productId })
      .execute();
    if (!r.affected) throw notFound('Product');
    await enqueue(adminAction(actorId, 'restock', productId, `+${quantity}`));
    return em.findOneByOrFail(ProductEntity, { id: productId });
  });
}

const DEMO: [string, string, number, number][] = [
  ['MUG-01', 'Enamel mug', 1400, 40],
  ['TEE-01', 'Organic cotton tee', 2500, 60],
  ['CAP-01', 'Canvas cap', 1900, 25],
  ['BAG-01', 'Tote bag', 1600, 50],
  ['BTL-01', 'Steel water bottle', 2900, 30],
  ['NTB-01', 'Dot-grid notebook', 1200, 80],
  ['PEN-01', 'Brass pen', 3400, 20],
  ['SCK-01', 'Wool socks', 1500, 70],
  ['HDY-01', 'Hoodie', 5900, 15],
  ['STK-01', 'Sticker pack', 500, 200],
  ['PST-01', 'Risograph poster', 2200, 12],
  ['KEY-01', 'Keyring', 800, 90],
];

/**
 * Seeds the demo catalog into an empty products table (so it takes no input), with one
 * product.changed per product in the same transaction; returns how many were added.
 */
export async function seedDemoCatalog({ db, transact, config }: Pick<InventoryDeps, 'db' | 'transact' | 'config'>): Promise<number> {
  if ((await db.manager.count(ProductEntity)) > 0) return 0;
  const now = new Date();
  const rows: ProductRow[] = DEMO.map(([sku, name, price, stock]) => ({
    id: randomUUID(),
    sku,
    name,
    description: `${name}, from the demo catalog`,
    price,
    currency: config.STORE_CURRENCY,
    stockOnHand: stock,
    held: 0,
    // Mugs, tees and posters: the whole demo catalog is physical goods.
    requiresShipping: true,
    createdAt: now,
  }));
  try {
    await transact(async ({ em, enqueue }) => {
      await em.insert(ProductEntity, rows);
      await enqueue(...rows.map(productChanged));
    });
  } catch (err) {
    if (isDuplicateKey(err)) return 0;
    throw err;
  }
  return rows.length;
}
