import { money } from '../../../../lib/contracts/money.js';
import type { ShippingMethodRow } from '../persistence/entities.js';

/** A shipping method as the schema shows it. */
export const shippingMethod = (m: ShippingMethodRow) => ({ code: m.code, name: m.name, price: money(m.price, m.currency) });
