// Live order status served by the order subgraph itself: its own `order.status_changed` events
// reach every instance through the broker's fan-out (one exclusive queue per instance), the
// instance that committed a transition has it at once, and each subscriber's OrderFollow pushes
// the order as of each transition.
import type { EventEnvelope } from '../../../../lib/contracts/events.js';
import { notFound, unauthenticated } from '../../../../lib/contracts/errors.js';
import { canSeeOrder, type AuthUser } from '../../../../lib/platform/auth.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';
import { rowsQuery, selectTogether } from '../../../../lib/platform/db/raw-rows.js';
import { OrderEntity, OrderStatusChangeEntity } from '../persistence/entities.js';
import type { OrderDeps } from '../use-cases/deps.js';
import { OrderFollow, type OrderNow } from './order-follow.js';

export class LiveStatus {
  private readonly following = new Map<string, Set<OrderFollow>>();

  constructor(
    private readonly runtime: Runtime,
    private readonly deps: OrderDeps,
  ) {}

  async start(): Promise<void> {
    const onStatusChanged = async (event: EventEnvelope) => {
      if (event.type !== 'order.status_changed') return;
      const subs = this.following.get(event.aggregateId);
      if (!subs?.size) return;
      // One read for every subscriber of this order, started after the event arrived (so after its
      // commit): a storefront tab, the customer's phone and a staff screen cost one read, not three.
      let shared: Promise<OrderNow | null> | null = null;
      const read = () => (shared ??= this.read(event.aggregateId));
      const { status, reason, at, payment } = (event as EventEnvelope<'order.status_changed'>).data;
      for (const sub of subs) sub.onEvent(event.sequence, read, { sequence: event.sequence, status, reason, at, payment });
    };
    // This instance's own transitions are pushed straight after their commit; the broker's copy
    // (which every instance gets) then finds the sequence pushed and is ignored.
    this.runtime.committed.on('order.status_changed', onStatusChanged);
    await this.runtime.broker.fanout('order.status_changed', onStatusChanged);
    // The exclusive queue is gone with the old connection: whatever was published meanwhile is lost.
    this.runtime.broker.onReconnect(() => {
      this.runtime.log.info({ subscriptions: this.count() }, 'broker reconnected; replaying live status from history');
      for (const subs of this.following.values()) for (const sub of subs) sub.replay();
    });
  }

  /** The subscriber's stream; someone else's order reads exactly like one that doesn't exist. */
  async follow(user: AuthUser | null, orderId: string): Promise<OrderFollow> {
    if (!user) throw unauthenticated();
    // Follow events before reading the current state, so nothing falls between the two.
    const sub = new OrderFollow(
      orderId,
      () => this.read(orderId),
      this.runtime.log,
      (s) => this.forget(s),
    );
    if (!this.following.has(orderId)) this.following.set(orderId, new Set());
    this.following.get(orderId)!.add(sub);
    try {
      const now = await this.read(orderId);
      if (!now || !canSeeOrder(user, { orderId, customerId: now.order.customerId })) throw notFound('Order');
      await sub.start(now);
      return sub;
    } catch (err) {
      sub.end();
      throw err;
    }
  }

  count(): number {
    return [...this.following.values()].reduce((n, subs) => n + subs.size, 0);
  }

  stop(): void {
    for (const subs of [...this.following.values()]) for (const sub of subs) sub.end();
  }

  private async read(orderId: string): Promise<OrderNow | null> {
    const em = this.deps.db.manager;
    const [[order], history] = await selectTogether(
      em,
      rowsQuery(em, OrderEntity, 'id = ?', [orderId]),
      rowsQuery(em, OrderStatusChangeEntity, 'order_id = ?', [orderId], { orderBy: 'sequence' }),
    );
    return order ? { order, history } : null;
  }

  private forget(sub: OrderFollow) {
    const subs = this.following.get(sub.orderId);
    subs?.delete(sub);
    if (subs && !subs.size) this.following.delete(sub.orderId);
  }
}

/** The order subgraph's `live` hook: the feed, handed to resolvers in each subscription's context. */
export async function startLiveStatus(runtime: Runtime, deps: OrderDeps) {
  const liveStatus = new LiveStatus(runtime, deps);
  await liveStatus.start();
  return { context: { liveStatus }, stop: async () => liveStatus.stop() };
}
