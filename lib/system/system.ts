// The whole system in one process: four subgraphs, the gateway and (without STRIPE_SECRET_KEY)
// the local Stripe emulator. `npm start` and the end-to-end tests both use this.
// Only the gateway listens on HOST: the subgraphs and the emulator listen on loopback, since
// everything that calls them is in this process or on this machine (the Stripe CLI forwards
// webhooks to localhost).
import { freePort } from '../platform/net.js';
import { SERVICES, type Config, type ServiceName } from '../platform/config.js';
import type { Subgraph, SubgraphFactory } from '../platform/runtime/subgraph.js';
import { startGateway, type RunningGateway } from '../../gateway/src/app.js';
import { account } from '../../subgraphs/account/src/app.js';
import { inventory } from '../../subgraphs/inventory/src/app.js';
import { order } from '../../subgraphs/order/src/app.js';
import { payment } from '../../subgraphs/payment/src/app.js';
import type { StripeEmulator } from '../../apps/stripe-emulator/src/server.js';
import { startStripeEmulatorService } from '../../apps/stripe-emulator/src/service.js';

/** Where the subgraphs and the emulator listen when everything runs in one process. */
export const LOOPBACK = '127.0.0.1';

export const subgraphFactories: Record<ServiceName, SubgraphFactory> = { account, inventory, order, payment };

export interface System {
  config: Config;
  gateway: RunningGateway;
  subgraphs: Record<ServiceName, Subgraph>;
  emulator: StripeEmulator | null;
  stop(): Promise<void>;
}

/** With `ephemeral`, every service takes a free port (tests); otherwise the configured ones. */
export async function startSystem(base: Config, options: { ephemeral?: boolean } = {}): Promise<System> {
  let config = base;
  if (options.ephemeral) {
    const [g, a, i, o, p, s] = await Promise.all(Array.from({ length: 6 }, freePort));
    config = { ...base, GATEWAY_PORT: g!, ACCOUNT_PORT: a!, INVENTORY_PORT: i!, ORDER_PORT: o!, PAYMENT_PORT: p!, STRIPE_EMULATOR_PORT: s!, HOST: LOOPBACK };
    config = {
      ...config,
      ACCOUNT_URL: `http://127.0.0.1:${a}`,
      INVENTORY_URL: `http://127.0.0.1:${i}`,
      ORDER_URL: `http://127.0.0.1:${o}`,
      PAYMENT_URL: `http://127.0.0.1:${p}`,
    };
    config = { ...config, STOREFRONT_URL: `http://127.0.0.1:${g}` };
  }
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const onLoopback: Config = { ...config, HOST: LOOPBACK };
    const emulator = config.STRIPE_SECRET_KEY ? null : await startStripeEmulatorService(onLoopback);
    if (emulator) started.push(emulator);
    const subgraphs = {} as Record<ServiceName, Subgraph>;
    for (const name of SERVICES) {
      subgraphs[name] = await subgraphFactories[name].start(onLoopback);
      started.push(subgraphs[name]);
    }
    const gateway = await startGateway(config);
    started.push(gateway);
    return { config, gateway, subgraphs, emulator, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
