// Where the key generations are kept (domain/idempotency-keys.ts): per order for its session until
// the Payment exists, then on the Payment. Each advance is conditional on the generation that
// failed, so two retries racing advance it once.
import type { Database } from '../../../../lib/platform/db/database.js';
import { isDuplicateKey } from '../../../../lib/platform/db/database.js';
import { PaymentEntity, SessionKeyGenerationEntity } from './entities.js';

export async function sessionKeyGeneration(db: Database, orderId: string): Promise<number> {
  return (await db.manager.findOneBy(SessionKeyGenerationEntity, { orderId }))?.generation ?? 0;
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
