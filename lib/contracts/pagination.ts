// Page sizes every paginated field shares: the resolvers refuse a larger `first`, and the query
// cost limit counts at most this many items for it (so an out-of-range `first` gets the field's
// own BAD_USER_INPUT, not a cost refusal).
import { badInput } from './errors.js';

export const MAX_PAGE = 100;

/** `first` checked against MAX_PAGE (the field's default when absent): BAD_USER_INPUT otherwise. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badInput(`first must be 1 to ${MAX_PAGE}`, { field: 'first' });
  return size;
}

/**
 * The position after a row in a newest-first list: its time and its id (the tie-break, so rows
 * created in the same millisecond are neither skipped nor repeated). Opaque to clients.
 */
export interface TimeCursor {
  at: Date;
  id: string;
}

export const encodeTimeCursor = ({ at, id }: TimeCursor) => Buffer.from(`t:${at.toISOString()}|${id}`).toString('base64url');

export function decodeTimeCursor(cursor: string): TimeCursor {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^t:([^|]+)\|(.{1,64})$/.exec(decoded);
  const at = match ? new Date(match[1]!) : null;
  // Re-encoding must give the same text: anything a client made up is refused, not half-read.
  if (!match || !at || Number.isNaN(at.getTime()) || encodeTimeCursor({ at, id: match[2]! }) !== cursor) {
    throw badInput('after is not a cursor this API returned', { field: 'after' });
  }
  return { at, id: match[2]! };
}
