// Every change of a customer's store credit goes through here: the balance and its version move in
// one UPDATE (so no two changes share a version, whatever the isolation level), and the row read
// back in the same transaction is the balance customer.credit_changed announces.
import type { EntityManager } from 'typeorm';
import { writeOutboxIn } from '../../../../lib/platform/messaging/transaction.js';
import { creditChanged } from '../messaging/account-events.js';
import { CustomerEntity, type CustomerRow } from './entities.js';

export interface CreditChange {
  customerId: string;
  /** Minor units, positive to give, negative to take; the caller checks the balance stays >= 0. */
  delta: number;
  /** The store currency, which every balance is in. */
  currency: string;
}

/** Moves the balance and its version; the row as it is now, or null when there is no such customer. */
export async function moveCredit(em: EntityManager, { customerId, delta }: Pick<CreditChange, 'customerId' | 'delta'>): Promise<CustomerRow | null> {
  const changed = await em
    .createQueryBuilder()
    .update(CustomerEntity)
    .set({ storeCredit: () => 'store_credit + :delta', creditVersion: () => 'credit_version + 1' })
    .where('id = :id', { id: customerId })
    .setParameter('delta', delta)
    .execute();
  if (!changed.affected) return null;
  return em.findOneByOrFail(CustomerEntity, { id: customerId });
}

/**
 * For steps that hold only an EntityManager (the try step's take, a hold given back): moves the
 * credit and writes customer.credit_changed to the outbox in the same transaction. No relay is
 * told at the commit, so the relay's poll publishes it.
 */
export async function changeCredit(em: EntityManager, change: CreditChange): Promise<void> {
  const customer = await moveCredit(em, change);
  if (customer) await writeOutboxIn(em, [creditChanged(customer, change.currency)]);
}
