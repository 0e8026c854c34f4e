// What the account subgraph's use cases may depend on, built once per running service by
// defineSubgraph. Every use case is `name(deps, input)`: deps picks only what it uses from these (a
// step that runs inside its caller's transaction takes that Transaction instead), input is the
// call's own data.
import { verifyPassword, type TokenService } from '../../../../lib/platform/auth.js';
import type { Config } from '../../../../lib/platform/config.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import type { Transact } from '../../../../lib/platform/messaging/transaction.js';
import type { Runtime } from '../../../../lib/platform/runtime/runtime.js';

export interface AccountDeps {
  db: Database;
  /** A transaction whose events the relay publishes right after it commits. */
  transact: Transact;
  tokens: TokenService;
  config: Config;
  /** The password check; tests pass a counting one to see that an unknown email is checked too. */
  checkPassword: (password: string, hash: string) => Promise<boolean>;
}

export function accountDeps(rt: Runtime): AccountDeps {
  return { db: rt.db, transact: rt.transact, tokens: rt.tokens, config: rt.config, checkPassword: verifyPassword };
}
