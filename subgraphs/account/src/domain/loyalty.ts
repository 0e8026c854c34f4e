/** One loyalty point per full 100 minor units paid. */
export const loyaltyPointsFor = (amountPaid: number) => Math.floor(Math.max(0, amountPaid) / 100);
