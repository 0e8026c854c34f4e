// Prometheus metrics with prom-client: one registry per service instance, so several services (or
// two gateways) in one process never collide. Every service exposes the same set at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Distinct values a label a client chooses may take per service instance, `other` aside. */
export const MAX_CLIENT_LABEL_VALUES = 100;
export const OTHER_LABEL_VALUE = 'other';
const MAX_LABEL_LENGTH = 100;

/**
 * Every distinct label value is a series kept for the life of the process, and prom-client has
 * no cap of its own: a client that names each request differently would grow memory and /metrics
 * without end. The first MAX_CLIENT_LABEL_VALUES values keep their name (cut to 100 characters),
 * every later one counts as `other`.
 */
export class BoundedLabelValues {
  private readonly kept = new Set<string>();

  of(value: string): string {
    const cut = value.slice(0, MAX_LABEL_LENGTH);
    if (this.kept.has(cut)) return cut;
    if (this.kept.size >= MAX_CLIENT_LABEL_VALUES) return OTHER_LABEL_VALUE;
    this.kept.add(cut);
    return cut;
  }
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly operations: Counter<'operation' | 'outcome'>;
  readonly operationSeconds: Histogram<'operation'>;
  readonly statusTransitions: Counter<'status'>;
  readonly eventsPublished: Counter<'type'>;
  readonly consumerRetries: Counter<'queue'>;
  readonly deadLettered: Counter<'queue'>;
  /** Outbox and inbox rows the retention purge deleted (label `table`: outbox or inbox). */
  readonly messagingRowsPurged: Counter<'table'>;
  /** Stripe event types are verified before they are counted, and bounded all the same. */
  readonly webhookEvents: { inc(labels: { type: string; outcome: string }): void };
  readonly openSubscriptions: Gauge;
  /** Refunds Stripe reported failed: each is money an operator must return by other means. */
  readonly refundFailures: Counter;
  /** Client operation names: the `operation` label of both operation metrics. */
  private readonly operationNames = new BoundedLabelValues();

  constructor(service: string, outboxBacklog?: () => Promise<{ pending: number; oldestAgeMs: number }>) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service });
    this.operations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by name and outcome',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.statusTransitions = new Counter({
      name: 'order_status_transitions_total',
      help: 'Order status transitions by the status entered',
      labelNames: ['status'],
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'outbox_events_published_total',
      help: 'Events the outbox relay published (confirmed)',
      labelNames: ['type'],
      registers,
    });
    this.consumerRetries = new Counter({
      name: 'consumer_retries_total',
      help: 'Event deliveries that failed and were scheduled for retry',
      labelNames: ['queue'],
      registers,
    });
    this.deadLettered = new Counter({ name: 'consumer_dead_lettered_total', help: 'Events moved to the dead-letter queue', labelNames: ['queue'], registers });
    this.messagingRowsPurged = new Counter({
      name: 'messaging_rows_purged_total',
      help: 'Outbox and inbox rows deleted after their retention',
      labelNames: ['table'],
      registers,
    });
    const webhookEvents = new Counter({
      name: 'stripe_webhook_events_total',
      help: 'Stripe webhook events by type and outcome (amount_mismatch included)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    const webhookTypes = new BoundedLabelValues();
    this.webhookEvents = { inc: ({ type, outcome }) => webhookEvents.inc({ type: webhookTypes.of(type), outcome }) };
    this.openSubscriptions = new Gauge({ name: 'graphql_open_subscriptions', help: 'Open GraphQL subscriptions', registers });
    this.refundFailures = new Counter({ name: 'payment_refund_failures_total', help: 'Refunds Stripe reported failed (an operator must act)', registers });
    if (outboxBacklog) {
      let last: Promise<{ pending: number; oldestAgeMs: number }> | null = null;
      // Both gauges read one query per scrape.
      const read = () => (last ??= outboxBacklog().finally(() => setTimeout(() => (last = null), 100)));
      new Gauge({
        name: 'outbox_pending_events',
        help: 'Events written but not yet confirmed by the broker',
        registers,
        collect: async function () {
          this.set((await read()).pending);
        },
      });
      new Gauge({
        name: 'outbox_oldest_pending_age_seconds',
        help: 'Age of the oldest unsent event',
        registers,
        collect: async function () {
          this.set((await read()).oldestAgeMs / 1000);
        },
      });
    }
    collectDefaultMetrics({ register: this.registry });
  }

  /** The `operation` label for a client's operation name (bounded, `anonymous` for none). */
  operationLabel(operationName: string | null | undefined): string {
    return this.operationNames.of(operationName ?? 'anonymous');
  }
}
