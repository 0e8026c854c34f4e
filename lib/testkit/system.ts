// Starts the whole system for a test file on ephemeral ports and tears it down after.
import { after } from 'node:test';
import { startSystem, type System } from '../system/system.js';
import { dropBrokerTopology } from './broker-outside.js';
import { dropDatabases, testConfig } from './config.js';

export async function testSystem(overrides: Record<string, string> = {}): Promise<System> {
  const config = testConfig(overrides);
  const sys = await startSystem(config, { ephemeral: true });
  after(async () => {
    await sys.stop();
    await dropDatabases(config);
    if (config.AMQP_URL) {
      const topology = { amqpUrl: config.AMQP_URL, prefix: config.BROKER_PREFIX, consumers: [], retryBaseDelaysMs: [config.RETRY_BASE_DELAY] };
      await dropBrokerTopology(topology).catch(() => undefined);
    }
  });
  return sys;
}
