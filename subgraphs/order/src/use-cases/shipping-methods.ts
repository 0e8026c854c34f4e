// Shipping methods: admins create them, everyone lists them, the demo data seeds two.
import countries from 'i18n-iso-countries';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { badInput, userError } from '../../../../lib/contracts/errors.js';
import { validateShippingMethodCode } from '../domain/checkout-details.js';
import { ShippingMethodEntity, type ShippingMethodRow } from '../persistence/entities.js';
import type { OrderDeps } from './deps.js';

export interface ShippingMethodInput {
  code: string;
  name: string;
  price: number;
  currency: string;
  countries?: string[] | null;
  freeOver?: number | null;
}

/** Stripe's largest amount, as for orders. */
const MAX_AMOUNT = 99_999_999;
const isAmount = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_AMOUNT;

function shippingMethodRow(input: ShippingMethodInput, storeCurrency: string): ShippingMethodRow {
  const code = validateShippingMethodCode(input.code, 'code');
  const name = input.name.trim();
  if (!name || name.length > 200) throw badInput('name must be 1 to 200 characters', { field: 'name' });
  if (!isAmount(input.price)) throw badInput(`price must be a whole number of minor units from 0 to ${MAX_AMOUNT}`, { field: 'price' });
  if (input.currency !== storeCurrency) throw badInput(`currency must be the store's currency, ${storeCurrency}`, { field: 'currency' });
  const freeOver = input.freeOver ?? null;
  if (freeOver !== null && !isAmount(freeOver)) throw badInput(`freeOver must be a whole number of minor units from 0 to ${MAX_AMOUNT}`, { field: 'freeOver' });
  const shipsTo = [...new Set((input.countries ?? []).map((c) => c.trim().toUpperCase()))];
  const unknown = shipsTo.find((c) => !/^[A-Z]{2}$/.test(c) || !countries.isValid(c));
  if (unknown !== undefined) throw badInput(`countries: ${unknown} is not an ISO 3166-1 alpha-2 code`, { field: 'countries' });
  return { code, name, price: input.price, currency: input.currency, countries: shipsTo.sort(), freeOver, createdAt: new Date() };
}

export async function createShippingMethod(
  { transact, config }: Pick<OrderDeps, 'transact' | 'config'>,
  input: ShippingMethodInput & { actorId: string },
): Promise<ShippingMethodRow> {
  const row = shippingMethodRow(input, config.STORE_CURRENCY);
  try {
    await transact(async ({ em, enqueue }) => {
      await em.insert(ShippingMethodEntity, row);
      await enqueue(adminAction(input.actorId, 'createShippingMethod', row.code, `${row.name}: ${row.price} ${row.currency}`));
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw userError('CONFLICT', `A shipping method with code ${row.code} already exists`);
    throw err;
  }
  return row;
}

export const listShippingMethods = ({ db }: Pick<OrderDeps, 'db'>) => db.manager.find(ShippingMethodEntity, { order: { price: 'ASC', code: 'ASC' } });

const DEMO_METHODS: Omit<ShippingMethodInput, 'currency'>[] = [
  { code: 'STANDARD', name: 'Standard shipping', price: 500, freeOver: 5000 },
  { code: 'EXPRESS', name: 'Express shipping', price: 1500 },
];

/** STANDARD and EXPRESS into a store without shipping methods; returns how many were added. */
export async function seedShippingMethods({ db, config }: Pick<OrderDeps, 'db' | 'config'>): Promise<number> {
  if ((await db.manager.count(ShippingMethodEntity)) > 0) return 0;
  const rows = DEMO_METHODS.map((m) => shippingMethodRow({ ...m, currency: config.STORE_CURRENCY }, config.STORE_CURRENCY));
  try {
    await db.transaction((em) => em.insert(ShippingMethodEntity, rows));
  } catch (err) {
    // Another instance seeded them first.
    if (isDuplicateKey(err)) return 0;
    throw err;
  }
  return rows.length;
}
