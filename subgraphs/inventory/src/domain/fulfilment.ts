// Pure fulfilment rules: which carrier ships an order and the tracking number it gets.

/** The demo store's only carrier; a real carrier integration would book the parcel and answer both. */
export const CARRIER = 'Demo Post';

/** One tracking number per order, derived from its id: unique without a counter, and the same on a retry. */
export function trackingNumberFor(orderId: string): string {
  return `DP${orderId.replaceAll('-', '').toUpperCase()}`;
}
