// The errors clients see, by extensions.code: part of the API's contract, raised by the rules in
// lib/contracts and every subgraph alike. Messages say what to fix; nothing internal leaks.
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'OUT_OF_STOCK'
  | 'COUPON_INVALID'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR';

export function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const badInput = (message: string, extra?: Record<string, unknown>) => userError('BAD_USER_INPUT', message, extra);
export const notFound = (what: string) => userError('NOT_FOUND', `${what} not found`);
export const unauthenticated = () => userError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token>');
export const forbidden = () => userError('FORBIDDEN', 'Only an admin may do this');
