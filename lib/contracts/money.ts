/** Money as the schema shows it: integer minor units plus an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

export const money = (amount: number, currency: string): Money => ({ amount, currency });
