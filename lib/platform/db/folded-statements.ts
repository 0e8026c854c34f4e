// Fewer round trips per transaction on MySQL/MariaDB. On this kind of machine the socket write of
// each statement (and the server's wake-up to read it) was 20–38 % of a subgraph's CPU under
// checkout load, and most statements in a checkout's transactions are writes whose answer nobody
// reads. So, on every pooled connection:
//   - START TRANSACTION is not sent on its own: it goes in front of the transaction's first
//     statement (a transaction that sends nothing sends neither it nor its COMMIT);
//   - writes queued with queueWrite (an outbox row, a history entry) wait and go in front of the
//     transaction's next statement, or in front of its COMMIT;
// each as one multi-statement query. The server runs a multi-statement query in order and stops at
// the first error, so the effect is the statements' own, in their order. A queued write that fails
// fails the transaction: its COMMIT is refused and the caller rolls back, even if a caller caught
// the error of the statement it travelled with. mysql2 and TypeORM have no pipelining or deferred
// writes, hence this small layer under TypeORM's query runner (the connection's `query`).
// The connections allow multiple statements for this; every statement we send is parameterised.
import type { EntityManager, ObjectLiteral, QueryBuilder } from 'typeorm';
import type { Statement } from './raw-rows.js';

type Done = (err: unknown, result?: unknown, fields?: unknown) => void;
type Query = (sql: unknown, values: unknown, cb?: Done) => unknown;

/** A mysql2 connection (the callback API TypeORM's runner drives). */
interface MysqlConnection {
  query: Query;
}

const folders = new WeakMap<object, Folder>();

/** Installs folding on a pooled connection; idempotent (the pool's 'acquire' and 'connection' events call it). */
export function foldStatementsOn(connection: MysqlConnection): void {
  if (!folders.has(connection)) folders.set(connection, new Folder(connection));
}

/**
 * A write in em's transaction whose answer the caller doesn't need (no affected count, no insert
 * id, no error it would handle): sent with the transaction's next statement or its COMMIT on MySQL,
 * at once elsewhere (SQLite, or outside a transaction).
 */
export async function queueWrite(em: EntityManager, sql: string, values: unknown[]): Promise<void>;
/** The same for a query builder's INSERT or UPDATE, as TypeORM would have sent it. */
export async function queueWrite(em: EntityManager, write: QueryBuilder<ObjectLiteral>): Promise<void>;
export async function queueWrite(em: EntityManager, write: string | QueryBuilder<ObjectLiteral>, values: unknown[] = []): Promise<void> {
  const [sql, params] = typeof write === 'string' ? [write, values] : write.getQueryAndParameters();
  const runner = em.queryRunner as { isTransactionActive?: boolean; databaseConnection?: object } | undefined;
  const folder = runner?.isTransactionActive && runner.databaseConnection ? folders.get(runner.databaseConnection) : undefined;
  if (folder?.inTransaction) folder.queue({ sql, values: params });
  else await em.query(sql, params);
}

const OK = { affectedRows: 0, insertId: 0, warningStatus: 0 };

class Folder {
  /** Between START TRANSACTION and COMMIT / ROLLBACK. */
  inTransaction = false;
  /** START TRANSACTION is still to be sent, in front of the next statement. */
  private startPending = false;
  private queued: Statement[] = [];
  /** A queued write failed: the transaction may only roll back. */
  private failed: unknown = null;
  private readonly send: Query;

  constructor(connection: MysqlConnection) {
    this.send = connection.query.bind(connection);
    connection.query = (sql: unknown, values: unknown, cb?: Done) => {
      if (typeof values === 'function') [values, cb] = [undefined, values as Done];
      return typeof sql === 'string' ? this.route(sql, (values as unknown[] | undefined) ?? [], cb!) : this.send(sql, values, cb);
    };
  }

  queue(statement: Statement) {
    this.queued.push(statement);
  }

  private route(sql: string, values: unknown[], cb: Done): void {
    if (sql === 'START TRANSACTION') {
      this.inTransaction = true;
      this.startPending = true;
      return void process.nextTick(cb, null, OK);
    }
    if (!this.inTransaction) return void this.send(sql, values, cb);
    if (sql === 'COMMIT') return this.commit(cb);
    if (sql === 'ROLLBACK') return this.rollback(cb);
    this.sendFolded({ sql, values }, cb);
  }

  private commit(cb: Done) {
    if (this.failed) {
      // The caller rolls back next; this error (its code too, so a deadlock is retried) says why.
      const failed = this.failed;
      return void process.nextTick(cb, failed);
    }
    if (this.startPending && !this.queued.length) {
      this.reset();
      return void process.nextTick(cb, null, OK);
    }
    this.sendFolded({ sql: 'COMMIT', values: [] }, (err, result, fields) => {
      // A failed COMMIT leaves the transaction to the caller's ROLLBACK.
      if (!err) this.reset();
      cb(err, result, fields);
    });
  }

  private rollback(cb: Done) {
    const sent = !this.startPending;
    this.reset();
    if (!sent) return void process.nextTick(cb, null, OK);
    this.send('ROLLBACK', [], cb);
  }

  private reset() {
    this.inTransaction = false;
    this.startPending = false;
    this.queued = [];
    this.failed = null;
  }

  /** The statement, behind START TRANSACTION and the queued writes if any: the answer is the statement's own. */
  private sendFolded(statement: Statement, cb: Done) {
    const withQueued = this.queued.length > 0;
    const parts = [...(this.startPending ? [{ sql: 'START TRANSACTION', values: [] }] : []), ...this.queued, statement];
    this.startPending = false;
    this.queued = [];
    if (parts.length === 1) return void this.send(statement.sql, statement.values, cb);
    this.send(
      parts.map((p) => p.sql).join(';\n'),
      parts.flatMap((p) => p.values),
      (err, results, fields) => {
        if (err) {
          if (withQueued) this.failed = err;
          return cb(err);
        }
        // The statement's own answer: one result, or several when it was itself several statements (selectTogether).
        const own = (results as unknown[]).slice(parts.length - 1);
        const ownFields = (fields as unknown[] | undefined)?.slice(parts.length - 1);
        cb(null, own.length === 1 ? own[0] : own, ownFields?.length === 1 ? ownFields[0] : ownFields);
      },
    );
  }
}
