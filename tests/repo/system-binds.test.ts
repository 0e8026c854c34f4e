// `npm start` (everything in one process) serves only the gateway on HOST: the four subgraphs and
// the Stripe emulator listen on loopback, unreachable from any other interface of the machine.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startSystem } from '../../lib/system/system.js';
import { freePort } from '../../lib/platform/net.js';
import { dropDatabases, testConfig } from '../../lib/testkit/config.js';

/** Can a TCP connection be opened to host:port? (false when refused) */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 5000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => reject(new Error(`${host}:${port}: no answer`)));
    socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(false) : reject(err)));
  });
}

test('npm start binds the gateway to HOST and every subgraph and the emulator to 127.0.0.1', async () => {
  const [gateway, account, inventory, order, payment, emulator] = await Promise.all(Array.from({ length: 6 }, freePort));
  const config = testConfig({
    HOST: '0.0.0.0',
    GATEWAY_PORT: String(gateway),
    ACCOUNT_PORT: String(account),
    INVENTORY_PORT: String(inventory),
    ORDER_PORT: String(order),
    PAYMENT_PORT: String(payment),
    STRIPE_EMULATOR_PORT: String(emulator),
    ACCOUNT_URL: `http://127.0.0.1:${account}`,
    INVENTORY_URL: `http://127.0.0.1:${inventory}`,
    ORDER_URL: `http://127.0.0.1:${order}`,
    PAYMENT_URL: `http://127.0.0.1:${payment}`,
  });
  const sys = await startSystem(config);
  after(async () => {
    await sys.stop();
    await dropDatabases(config);
  });
  assert.equal((sys.gateway.server.address() as AddressInfo).address, '0.0.0.0', 'the gateway listens on HOST');
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  assert.ok(external, 'this test needs a network interface besides loopback');
  assert.equal(await accepts(external, gateway!), true, `the gateway is reachable on ${external}`);
  const loopbackOnly = { account, inventory, order, payment, 'stripe-emulator': emulator };
  for (const [name, port] of Object.entries(loopbackOnly)) {
    assert.equal(await accepts('127.0.0.1', port!), true, `${name} is reachable on loopback`);
    assert.equal(await accepts(external, port!), false, `${name} is not reachable on ${external}`);
  }
  // The gateway still reaches the subgraphs on loopback.
  const res = await fetch(`${sys.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
  });
  assert.equal(res.status, 200);
});
