// Account page: `me { orders { … } }` for customers with ten orders each — one query that every
// subgraph answers (account → order → inventory and payment), through the gateway.
import type { Bench } from '../context.js';
import { gql, type Customer } from '../client.js';
import { loadInTurns, type HttpLoad } from '../load.js';
import type { CustomerOrders } from '../seed.js';

export const ACCOUNT_PAGE = `{ me { orders { status items { product { name } } payment { status } } } }`;

export interface AccountPageResult {
  customers: number;
  ordersPerCustomer: number;
  connections: number;
  gateway: HttpLoad;
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
  const connections = b.smoke ? 8 : 16;
  const { gateway } = await loadInTurns(
    {
      gateway: {
        options: { url: b.stack.url.gateway, query: ACCOUNT_PAGE, tokens: customers.map((c) => c.token), connections, durationMs: b.durationMs },
        cpuGroups: b.cpuGroups(),
      },
    },
    b.warmupMs,
    1,
  );
  return { customers: customers.length, ordersPerCustomer: perCustomer, connections, gateway };
}
