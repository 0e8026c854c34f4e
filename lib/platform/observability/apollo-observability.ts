// An Apollo Server plugin shared by the gateway and every subgraph: the trace id in every
// response's extensions (errors included), per-operation counts and latency, one log line per error.
import type { ApolloServerPlugin } from '@apollo/server';
import { clientErrorCode } from '../errors.js';
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
            // The same line formatError draws: what the client caused is info, the rest an error.
            const code = clientErrorCode(e);
            if (code) log.info({ code, operation: operationName }, e.message);
            else log.error({ err: e.originalError ?? e, code: e.extensions?.code ?? 'INTERNAL_SERVER_ERROR', operation: operationName }, e.message);
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          // Client-chosen names: bounded, so they cannot grow the metrics without end.
          const operation = metrics.operationLabel(operationName);
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
