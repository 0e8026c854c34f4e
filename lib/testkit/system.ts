// Starts the whole system for a test file on ephemeral ports and tears it down after.
import { after } from 'node:test';
import { startSystem, type System } from '../system/system.js';
import { dropDatabases, testConfig } from './config.js';

export async function testSystem(overrides: Record<string, string> = {}): Promise<System> {
  const config = testConfig(overrides);
  const sys = await startSystem(config, { ephemeral: true });
  after(async () => {
    await sys.stop();
    await dropDatabases(config);
  });
  return sys;
}
