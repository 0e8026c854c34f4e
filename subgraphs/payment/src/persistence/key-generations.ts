// Where the key generations are kept (domain/idempotency-keys.ts): per order for its session until
// the Payment exists, then on the Payment. Each advance is conditional on the generation that
// failed, so two retries racing advance it once.
import type { Database } from '../../../../lib/platform/db/database.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import type { EntityManager } from 'typeorm';
import { PaymentEntity, SessionKeyGenerationEntity } from './entities.js';

/** What opening an order's session depends on, in one round trip: its Payment, a cancellation, the key generation. */
export async function sessionStateOf(em: EntityManager, orderId: string): Promise<{ hasPayment: boolean; cancelled: boolean; generation: number }> {
  const [row] = (await em.query(
    `SELECT EXISTS (SELECT 1 FROM payments WHERE order_id = ?) AS has_payment,
            EXISTS (SELECT 1 FROM order_cancellations WHERE order_id = ?) AS cancelled,
            (SELECT generation FROM session_key_generations WHERE order_id = ?) AS generation`,
    [orderId, orderId, orderId],
  )) as { has_payment: number | string; cancelled: number | string; generation: number | string | null }[];
  return { hasPayment: Number(row!.has_payment) === 1, cancelled: Number(row!.cancelled) === 1, generation: Number(row!.generation ?? 0) };
}

export async function advanceSessionKeyGeneration(db: Database, orderId: string, failed: number): Promise<void> {
  await db.transaction(async (em) => {
    const moved = await em.update(SessionKeyGenerationEntity, { orderId, generation: failed }, { generation: failed + 1 });
    if (moved.affected || failed !== 0) return;
    try {
      await em.insert(SessionKeyGenerationEntity, { orderId, generation: 1 });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  });
}

export async function advanceRefundKeyGeneration(db: Database, paymentId: string, failed: number): Promise<void> {
  await db.transaction((em) => em.update(PaymentEntity, { id: paymentId, refundKeyGeneration: failed }, { refundKeyGeneration: failed + 1 }));
}
