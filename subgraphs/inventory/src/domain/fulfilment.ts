// Pure fulfilment rules: which carrier ships an order and the tracking number it gets.

/** The demo store's only carrier; a real carrier integration would book the parcel and answer both. */
export const CARRIER = 'Demo Post';

/** One tracking number per order, derived from its id: unique without a counter, and the same on a retry. */
export function trackingNumberFor(orderId: string): string {
  return `DP${orderId.replaceAll('-', '').toUpperCase()}`;
}

/** What a hand-made shipment (markShipped) must give: a carrier and a tracking number, each bounded. */
export function manualShipmentProblem({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): string | null {
  // The columns hold 64 characters; a label or a carrier's site never needs more.
  if (!carrier.trim() || carrier.trim().length > 64) return 'carrier must be 1 to 64 characters';
  if (!/^[A-Za-z0-9 ._/-]{1,64}$/.test(trackingNumber.trim())) return 'trackingNumber must be 1 to 64 letters, digits, spaces, ., -, _ or /';
  return null;
}
