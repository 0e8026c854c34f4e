// An Apollo Server plugin shared by the gateway and every subgraph: the trace id in every
// response's extensions (errors included), per-operation counts and latency, one log line per error.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';
import { activeTraceIds } from './telemetry.js';

export function observabilityPlugin(metrics: ServiceMetrics, log: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const e of errors) {
            const code = e.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
            if (code === 'INTERNAL_SERVER_ERROR') log.error({ err: e.originalError ?? e, code, operation: operationName }, e.message);
            else log.info({ code, operation: operationName }, e.message);
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          const operation = operationName ?? 'anonymous';
          metrics.operations.inc({ operation, outcome: errors?.length ? 'error' : 'ok' });
          metrics.operationSeconds.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
          const ids = activeTraceIds();
          if (ids && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, traceId: ids.traceId };
          }
        },
      };
    },
  };
}
