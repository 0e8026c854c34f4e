// The audit log, newest first, a keyset page at a time behind an opaque cursor.
import { decodeTimeCursor, encodeTimeCursor, pageSize } from '../../../../lib/contracts/pagination.js';
import { sqlTime } from '../../../../lib/platform/db/database.js';
import { AuditEntryEntity, type AuditEntryRow } from '../persistence/entities.js';
import type { AccountDeps } from './deps.js';

export interface AuditLogPage {
  nodes: AuditEntryRow[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export async function listAuditLog({ db }: Pick<AccountDeps, 'db'>, { first, after }: { first?: number | null; after?: string | null }): Promise<AuditLogPage> {
  const size = pageSize(first);
  const cursor = after ? decodeTimeCursor(after) : null;
  const query = db.manager
    .createQueryBuilder(AuditEntryEntity, 'a')
    .orderBy('a.at', 'DESC')
    .addOrderBy('a.id', 'DESC')
    .take(size + 1);
  if (cursor) query.where('(a.at < :at OR (a.at = :at AND a.id < :id))', { at: sqlTime(cursor.at), id: cursor.id });
  // One row past the page tells whether another page follows.
  const rows = await query.getMany();
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeTimeCursor({ at: last.at, id: last.id }) : null } };
}
