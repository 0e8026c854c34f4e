import { pino, type Logger } from 'pino';
import { activeTraceIds } from './telemetry.js';

export type { Logger };

/** JSON logs; secrets are redacted wherever they may appear in a logged object. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    // Every line carries the trace and span it was written in, when there is one.
    mixin: () => activeTraceIds() ?? {},
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'headers["stripe-signature"]',
        '*.secret',
        'secret',
      ],
      censor: '[redacted]',
    },
  });
}
