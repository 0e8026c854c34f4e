// Pure product rules: what a valid product is, and the cursor for paging through the catalog.
import { badInput } from '../../../../lib/contracts/errors.js';

export interface ProductInput {
  sku: string;
  name: string;
  description?: string | null;
  price: number;
  currency: string;
  stockOnHand: number;
  /** Absent or null: the product ships (the schema's default). */
  requiresShipping?: boolean | null;
}

export function productInputProblem(input: ProductInput, storeCurrency: string): string | null {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(input.sku.trim())) return 'sku must be 1 to 64 letters, digits, ., - or _';
  if (!input.name.trim() || input.name.length > 200) return 'name must be 1 to 200 characters';
  if ((input.description?.length ?? 0) > 5000) return 'description must be at most 5000 characters';
  if (!Number.isInteger(input.price) || input.price < 0 || input.price > 100_000_000) return 'price must be a whole number of minor units, 0 or more';
  if (input.currency !== storeCurrency) return `currency must be the store currency, ${storeCurrency}`;
  if (!Number.isInteger(input.stockOnHand) || input.stockOnHand < 0 || input.stockOnHand > 10_000_000) return 'stockOnHand must be a whole number, 0 or more';
  return null;
}

/** Cursors are opaque to clients: the sku of the last product seen, base64url-encoded. */
export const encodeCursor = (sku: string) => Buffer.from(`sku:${sku}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('sku:') || encodeCursor(decoded.slice(4)) !== cursor) throw badInput('after is not a cursor this API returned');
  return decoded.slice(4);
}

export { MAX_PAGE } from '../../../../lib/contracts/pagination.js';
