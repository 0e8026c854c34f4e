// Hive Gateway as its own process, in front of the bench's four subgraph processes: the project's
// gateway.config.ts (it forwards `authorization`) with the supergraph the bench composed for its
// ports, production-like (NODE_ENV=production from the caller, no logging). With `router` it plans
// with Hive Router's Rust query planner (@graphql-hive/router-runtime), as `--hive-router-runtime` does.
// Run: node --import tsx bench/hive/gateway.ts <port> <supergraph file> [router]
// The programmatic runtime rather than the CLI: the CLI looks for its config in the working
// directory and adds schema polling; this serves the same runtime on plain node:http, as the e2e test does.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gatewayConfig } from '../../gateway.config.js';

type HiveRuntime = ((req: IncomingMessage, res: ServerResponse) => void) & { dispose(): Promise<void> };

// Loaded untyped, for the reason gateway.config.ts gives (Hive's types clash with Apollo's).
const HIVE_GATEWAY = '@graphql-hive/gateway';
const ROUTER_RUNTIME = '@graphql-hive/router-runtime';

export const RUST_PLANNER_LINE = 'hive gateway: planning with the Rust query planner';

function announced(handler: (opts: unknown) => unknown) {
  return (opts: unknown) => {
    console.log(RUST_PLANNER_LINE);
    return handler(opts);
  };
}

async function main() {
  const [port, supergraphFile, mode] = [Number(process.argv[2]), process.argv[3]!, process.argv[4]];
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as { createGatewayRuntime: (config: object) => HiveRuntime };
  const router = mode === 'router' ? ((await import(ROUTER_RUNTIME)) as { unifiedGraphHandler: unknown }) : null;
  const runtime = createGatewayRuntime({
    ...gatewayConfig,
    supergraph: readFileSync(supergraphFile, 'utf8'),
    logging: false,
    // Says so once in its log, which the bench checks: a runtime that fell back to the JS
    // planner would otherwise be measured under the Rust planner's name.
    ...(router ? { unifiedGraphHandler: announced(router.unifiedGraphHandler as (opts: unknown) => unknown) } : {}),
  });
  const server = createServer(runtime);
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void runtime.dispose().finally(() => process.exit(0));
  });
}

if (process.argv[1]?.endsWith('gateway.ts'))
  void main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
