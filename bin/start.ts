// npm start                 → everything in one process (the embedded default needs this)
// npm start -- <service>    → one service alone: gateway | account | inventory | order | payment | stripe-emulator
import { ConfigError, loadConfig, SERVICES, type ServiceName } from '../lib/config.js';
import { DEV_ADMIN } from '../lib/config.js';
import { startGateway } from '../gateway/src/app.js';
import { startStripeEmulatorFor, startSystem, subgraphFactories } from './system.js';

async function main() {
  const config = loadConfig();
  const which = process.argv[2] ?? 'all';
  let stop: () => Promise<void>;
  if (which === 'all') {
    const system = await startSystem(config);
    stop = system.stop;
    console.log(
      `\ncheckout-supergraph is up:\n  GraphQL + Sandbox  http://localhost:${config.GATEWAY_PORT}/graphql\n  storefront         http://localhost:${config.GATEWAY_PORT}/`,
    );
    if (config.usingDevSecrets) console.log(`  admin (development default)  ${DEV_ADMIN.email} / ${DEV_ADMIN.password}`);
    if (config.SEED_DEMO) console.log('  demo customer      demo@example.com / demo-password');
  } else if (which === 'gateway') {
    stop = (await startGateway(config)).stop;
  } else if (which === 'stripe-emulator') {
    stop = (await startStripeEmulatorFor(config)).stop;
  } else if ((SERVICES as string[]).includes(which)) {
    if (!config.DATABASE_URL || !config.AMQP_URL)
      throw new ConfigError(
        `Invalid setting AMQP_URL: running ${which} alone needs DATABASE_URL and AMQP_URL (the embedded defaults work only with everything in one process)`,
      );
    stop = (await subgraphFactories[which as ServiceName].start(config)).stop;
  } else {
    throw new ConfigError(`Unknown service "${which}": use gateway, ${SERVICES.join(', ')} or stripe-emulator`);
  }
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? err.message : `Failed to start: ${err.message}`);
  process.exit(1);
});
