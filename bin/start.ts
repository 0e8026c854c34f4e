// npm start                 → everything in one process (the embedded default needs this)
// npm start -- <service>    → one service alone: gateway | account | inventory | order | payment | stripe-emulator
import { ConfigError, loadConfig, SERVICES, type ServiceName } from '../lib/platform/config.js';
import { startGateway } from '../gateway/src/app.js';
import { demoCustomerExists, serviceBanner, systemBanner } from '../lib/system/banner.js';
import { startSystem, subgraphFactories } from '../lib/system/system.js';
import { startStripeEmulatorService } from '../apps/stripe-emulator/src/service.js';

/** Starts what was asked for, says what is served, and returns how to stop it. */
async function start(which: string): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (which === 'all') {
    const system = await startSystem(config);
    console.log(`\n${systemBanner(system, await demoCustomerExists(system))}`);
    return system.stop;
  }
  let service: { port: number; stop(): Promise<void> };
  if (which === 'gateway') {
    service = await startGateway(config);
  } else if (which === 'stripe-emulator') {
    service = await startStripeEmulatorService(config);
  } else if ((SERVICES as string[]).includes(which)) {
    if (!config.DATABASE_URL || !config.AMQP_URL)
      throw new ConfigError(
        `Invalid setting AMQP_URL: running ${which} alone needs DATABASE_URL and AMQP_URL (the embedded defaults work only with everything in one process)`,
      );
    service = await subgraphFactories[which as ServiceName].start(config);
  } else {
    throw new ConfigError(`Unknown service "${which}": use gateway, ${SERVICES.join(', ')} or stripe-emulator`);
  }
  console.log(serviceBanner(which, config, service.port));
  return service.stop;
}

async function main() {
  const stop = await start(process.argv[2] ?? 'all');
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
