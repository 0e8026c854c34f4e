import type { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillEvents } from '../../../../../lib/platform/messaging/outbox-backfill.js';
import { productChanged } from '../../messaging/product-events.js';

interface ProductRecord {
  id: string;
  name: string;
  price: number | string;
  currency: string;
  requires_shipping: number | boolean | string;
}

/** Carts learn products from product.changed: one for every product created before products published it (backfillEvents). */
export class ProductEventsBackfill1732000000502 implements MigrationInterface {
  name = 'ProductEventsBackfill1732000000502';

  async up(q: QueryRunner): Promise<void> {
    // MySQL hands back booleans as 0/1 and SQLite stores them so: Number() reads both.
    await backfillEvents<ProductRecord>(q, 'SELECT id, name, price, currency, requires_shipping FROM products', 'id', (p) =>
      productChanged({ id: p.id, name: p.name, price: Number(p.price), currency: p.currency, requiresShipping: Number(p.requires_shipping) === 1 }),
    );
  }

  /** The events may have been published already; what consumers keep stays theirs. */
  async down(): Promise<void> {}
}
