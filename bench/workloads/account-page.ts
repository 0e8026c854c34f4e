// Account page: `me { orders { … } }` for customers with ten orders each — one query that every
// subgraph answers (account → order → inventory and payment), through our gateway and, in the
// same rounds of turns, through Hive Gateway in front of the same subgraph processes.
import type { Bench } from '../context.js';
import { gql, type Customer } from '../client.js';
import type { HttpLoad } from '../load.js';
import { inTurnsWithHive, type HiveComparison } from '../hive/compare.js';
import type { CustomerOrders } from '../seed.js';

export const ACCOUNT_PAGE = `{ me { orders { status amountDue { amount } items { quantity product { name available } } payment { status } } } }`;

export interface AccountPageResult {
  customers: number;
  ordersPerCustomer: number;
  connections: number;
  gateway: HttpLoad;
  hive: HiveComparison;
}

export async function accountPageWorkload(b: Bench, seeded: CustomerOrders[]): Promise<AccountPageResult> {
  const customers: Customer[] = seeded.map((s) => s.customer);
  const perCustomer = seeded[0]?.orders.length ?? 0;
  // The page must really be complete (every order, product name and payment) before it is timed.
  type Page = { me: { orders: { items: { product: { name: string } | null }[]; payment: unknown }[] } };
  const sample = (await gql<Page>(b.stack.url.gateway, ACCOUNT_PAGE, {}, customers[0]!.token)).me.orders;
  if (sample.length !== perCustomer || sample.some((o) => !o.payment || o.items.some((i) => !i.product?.name))) {
    throw new Error(`account page incomplete: ${JSON.stringify(sample).slice(0, 300)}`);
  }
  const connections = b.smoke ? 8 : 50;
  const { loads, hive } = await inTurnsWithHive(
    b,
    {
      gateway: {
        options: { url: b.stack.url.gateway, query: ACCOUNT_PAGE, tokens: customers.map((c) => c.token), connections, durationMs: b.durationMs },
        cpuGroups: b.cpuGroups(),
      },
    },
    b.smoke ? 1 : 3,
    'account',
  );
  return { customers: customers.length, ordersPerCustomer: perCustomer, connections, gateway: loads.gateway, hive };
}
