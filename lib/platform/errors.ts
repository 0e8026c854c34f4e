// What a client sees of an error: known codes pass with their message; anything the server caused is
// masked. The codes themselves are the API's contract (lib/contracts/errors.ts).
import type { GraphQLFormattedError } from 'graphql';

const PUBLIC_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'OUT_OF_STOCK',
  'COUPON_INVALID',
  'CONFLICT',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The code a client is shown for an error it caused (a known code, or BAD_REQUEST for Apollo's own
 * 4xx refusals without one); null when the server caused it: masked, and logged as an error.
 */
export function clientErrorCode(error: unknown): string | null {
  const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | undefined)?.extensions;
  const code = extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) return code;
  // e.g. a persisted query whose hash does not match its text, or an unsupported APQ version.
  const status = extensions?.http?.status;
  return code === undefined && typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : null;
}

/** Apollo formatError: the client's own mistakes keep their code and message; anything else becomes a bare internal error. */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = clientErrorCode(error ?? formatted);
  if (code === null) {
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
  return code === extensions.code ? { ...formatted, extensions } : { message: formatted.message, extensions: { code } };
}
