// Subscription.orderStatusChanged: each push is the Order entity as of one transition; the Order
// resolvers fill in the fields this subgraph owns, and a gateway in front resolves the rest.
import { badInput } from '../../../../lib/contracts/errors.js';
import type { AuthUser } from '../../../../lib/platform/auth.js';
import type { OrderStatusChangeRow } from '../persistence/entities.js';
import type { LiveStatus } from './live-status.js';
import type { OrderAsOf, OrderPush } from './order-follow.js';

interface SubscriptionContext {
  user: AuthUser | null;
  /** Only in a subscription's context (graphql-ws, SSE, multipart); a plain POST has none. */
  liveStatus?: LiveStatus;
}

/** DataLoaders cache for the whole subscription; each push must read the order afresh. */
function freshLoaders(ctx: object) {
  for (const value of Object.values(ctx)) if (typeof (value as { clearAll?: unknown })?.clearAll === 'function') (value as { clearAll(): void }).clearAll();
}

export const subscriptionResolvers = {
  Subscription: {
    orderStatusChanged: {
      subscribe: (_p: unknown, { orderId }: { orderId: string }, ctx: SubscriptionContext) => {
        if (!ctx.liveStatus) throw badInput('Subscribe over graphql-ws, graphql-sse or multipart HTTP');
        return ctx.liveStatus.follow(ctx.user, orderId);
      },
      resolve: (push: OrderPush, _a: unknown, ctx: object) => {
        freshLoaders(ctx);
        return push.orderStatusChanged;
      },
    },
  },
};

/** An order's history as the parent shows it: up to the pushed transition for a live push. */
export function historyAsOf(order: object, history: OrderStatusChangeRow[]): OrderStatusChangeRow[] {
  const sequence = (order as Partial<OrderAsOf>).asOfSequence;
  return sequence === undefined ? history : history.slice(0, sequence);
}
