// Tracing with OpenTelemetry. Every request and event has a trace (every response carries its
// trace id, every log line its traceId), but spans are recorded only while something takes them:
// an OTLP exporter (OTEL_EXPORTER_OTLP_ENDPOINT) or a processor a test added. Unrecorded spans
// still carry ids and propagate, at a fraction of the cost. Context crosses every hop as
// W3C traceparent: HTTP headers (gateway → subgraph, the try step), and the traceparent stored with
// every outbox row, which the consumer restores. The maintained auto-instrumentations for graphql,
// mysql2 and amqplib now need Node 22, so on Node 20 the spans at those boundaries are made here.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SamplingDecision, type ReadableSpan, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Forwards to processors added later (tests add an in-memory exporter after start-up). */
class ForwardingProcessor implements SpanProcessor {
  readonly targets: SpanProcessor[] = [];
  onStart(span: Span & ReadableSpan, parent: OtelContext) {
    for (const t of this.targets) t.onStart(span as never, parent);
  }
  onEnd(span: ReadableSpan) {
    for (const t of this.targets) t.onEnd(span);
  }
  async forceFlush() {
    await Promise.all(this.targets.map((t) => t.forceFlush()));
  }
  async shutdown() {
    await Promise.all(this.targets.map((t) => t.shutdown()));
  }
}

let forwarding: ForwardingProcessor | null = null;

/**
 * Records a span only when a processor will take it. Recording costs (attributes, timestamps,
 * events, the processor chain; Apollo's own spans in the gateway) were most of what tracing cost
 * with nothing exporting (issue 18). Decided per process, not from the parent's sampled flag, so a
 * service that exports records whatever its caller did.
 */
const recordWhenTaken: Sampler = {
  shouldSample: () => ({ decision: forwarding?.targets.length ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD }),
  toString: () => 'RecordWhenTaken',
};

/** Sets up tracing once per process; later calls are no-ops. */
export function initTelemetry(options: { serviceName: string; otlpEndpoint?: string; disabled?: boolean }): void {
  if (forwarding) return;
  forwarding = new ForwardingProcessor();
  if (options.disabled) return; // the API's no-op tracer stays in place
  if (options.otlpEndpoint)
    forwarding.targets.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` })));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [forwarding],
    sampler: recordWhenTaken,
  });
  provider.register(); // AsyncLocalStorage context manager and the W3C trace-context propagator
}

export function addSpanProcessor(processor: SpanProcessor): () => void {
  if (!forwarding) throw new Error('initTelemetry first');
  forwarding.targets.push(processor);
  return () => forwarding!.targets.splice(forwarding!.targets.indexOf(processor), 1);
}

const tracer = () => trace.getTracer('checkout-supergraph');

export interface SpanOptions {
  /** The service doing the work; every span carries it, since one process may run them all. */
  service: string;
  kind?: SpanKind;
  attributes?: Attributes;
  /** Continue this trace instead of the active one (a consumer restoring an event's context). */
  parent?: string | null;
}

/** Runs fn inside a new span, recording a thrown error on it. */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parentContext = options.parent ? contextFromTraceparent(options.parent) : context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: { 'checkout.service': options.service, ...options.attributes } },
    parentContext,
  );
  return context.with(trace.setSpan(parentContext, span), async () => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export function contextFromTraceparent(traceparent: string): Context {
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** The active context as a W3C traceparent, or null outside any span. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Headers that carry the active trace to another service. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export function activeTraceIds(): { traceId: string; spanId: string } | null {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : null;
}

/** Middleware (Express or plain Node): a server span per request, continuing the caller's traceparent. */
export function traceRequests(service: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const path = (req.url ?? '/').split('?')[0]!;
    const span = tracer().startSpan(
      `${req.method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'checkout.service': service, 'http.request.method': req.method, 'url.path': path } },
      parent,
    );
    // 'close' also comes for a response cut off before it finished (then without 'finish').
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

export { SpanKind };
