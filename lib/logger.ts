import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs; secrets are redacted wherever they may appear in a logged object. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', '*.secret'],
      censor: '[redacted]',
    },
  });
}
