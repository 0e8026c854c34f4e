// A service's outbox: the relay that publishes its events, and the transactions that hand it what
// they wrote once they commit (and hand this process's listeners the same, see committed-events.ts).
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { CommittedEvents } from './committed-events.js';
import { OutboxRelay, type RelayOptions } from './outbox-relay.js';
import type { Broker } from './port.js';
import { transactWith, type Transact, type TransactOptions } from './transaction.js';

export function openOutbox(
  db: Database,
  broker: Broker,
  log: Logger,
  options: RelayOptions & Pick<TransactOptions, 'traceparent' | 'withinTransaction'> = {},
): { relay: OutboxRelay; transact: Transact; committed: CommittedEvents } {
  const relay = new OutboxRelay(db, broker, log, options);
  const committed = new CommittedEvents(log);
  const transact = transactWith(db, {
    publishCommitted: (events) => {
      relay.publishCommitted(events);
      committed.emit(events);
    },
    traceparent: options.traceparent,
    withinTransaction: options.withinTransaction,
  });
  return { relay, transact, committed };
}
