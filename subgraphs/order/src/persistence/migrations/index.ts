import { CreateOrderSchema1732000000003 } from './001-create-schema.js';
import { OrderInputHash1732000000103 } from './002-order-input-hash.js';
import { ShippingAndTax1732000000403 } from './003-shipping-and-tax.js';
import { Carts1732000000504 } from './004-carts.js';
import { PaymentProcessing1732000000605 } from './005-payment-processing.js';
import { OrderListIndexes1732000000706 } from './006-order-list-indexes.js';
import { Webhooks1732000000907 } from './007-webhooks.js';
import { MessagingRetention1732000001803 } from './008-messaging-retention.js';
import { PaymentLink1732000001809 } from './009-payment-link.js';

export const migrations = [
  CreateOrderSchema1732000000003,
  OrderInputHash1732000000103,
  ShippingAndTax1732000000403,
  Carts1732000000504,
  PaymentProcessing1732000000605,
  OrderListIndexes1732000000706,
  Webhooks1732000000907,
  MessagingRetention1732000001803,
  PaymentLink1732000001809,
];
