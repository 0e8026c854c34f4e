import { CreateInventorySchema1732000000002 } from './001-create-schema.js';
import { ShipmentTraceparent1732000000102 } from './002-shipment-traceparent.js';
import { SettledStockHolds1732000000302 } from './003-settled-stock-holds.js';
import { Shipping1732000000402 } from './004-shipping.js';
import { ProductEventsBackfill1732000000502 } from './005-product-events-backfill.js';
import { MessagingRetention1732000001802 } from './006-messaging-retention.js';

export const migrations = [
  CreateInventorySchema1732000000002,
  ShipmentTraceparent1732000000102,
  SettledStockHolds1732000000302,
  Shipping1732000000402,
  ProductEventsBackfill1732000000502,
  MessagingRetention1732000001802,
];
