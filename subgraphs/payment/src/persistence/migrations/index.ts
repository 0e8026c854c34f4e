import { CreatePaymentSchema1732000000004 } from './001-create-schema.js';
import { KeyGenerations1732000000604 } from './002-key-generations.js';
import { Refunds1732000000704 } from './003-refunds.js';
import { MessagingRetention1732000001804 } from './004-messaging-retention.js';
import { PaymentLinksBackfill1732000001805 } from './005-payment-links-backfill.js';

export const migrations = [
  CreatePaymentSchema1732000000004,
  KeyGenerations1732000000604,
  Refunds1732000000704,
  MessagingRetention1732000001804,
  PaymentLinksBackfill1732000001805,
];
