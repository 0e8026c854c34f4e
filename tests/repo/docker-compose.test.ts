// docker-compose.yml and the Dockerfile stay true to the services: the names bin/start.ts accepts,
// the ports lib/platform/config.ts listens on, settings loadConfig accepts, and start-up order by health.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, PUBLISHED_SECRETS, SERVICES, servicePort, type Config } from '../../lib/platform/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const startSource = readFileSync(`${root}bin/start.ts`, 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number; published?: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

const APP_SERVICES = ['gateway', ...SERVICES, 'stripe-emulator'] as const;
type AppService = (typeof APP_SERVICES)[number];

const service = (name: string): Service => {
  const s = compose.services?.[name];
  assert.ok(s, `docker-compose.yml has no service ${name}`);
  return s;
};

function envOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

const configOf = (name: AppService): Config => loadConfig(envOf(name));
const commandOf = (name: string): string[] => {
  const c = service(name).command;
  return typeof c === 'string' ? c.split(/\s+/) : (c ?? []);
};
const dependsOn = (name: string): Record<string, string | undefined> => {
  const d = service(name).depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, undefined])) : Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v?.condition]));
};

/** The port a service listens on inside its container, from its own settings. */
function listenPort(name: AppService, config: Config): number {
  return name === 'stripe-emulator' ? config.STRIPE_EMULATOR_PORT : servicePort(config, name);
}

/** The host address each published port binds to ('' for every interface). */
function hostAddresses(name: string): string[] {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === 'object') return '';
    const parts = String(p).split('/')[0]!.split(':');
    return parts.length === 3 ? parts[0]! : '';
  });
}

function containerPorts(name: string): number[] {
  return (service(name).ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.target);
    const parts = String(p).split('/')[0]!.split(':');
    return Number(parts[parts.length - 1]);
  });
}

test('docker-compose.yml has mysql, rabbitmq (with the management UI) and one service per app service', () => {
  for (const name of ['mysql', 'rabbitmq', ...APP_SERVICES]) service(name);
  assert.match(service('mysql').image ?? '', /^mysql:8(\.|$)/, 'MySQL 8');
  assert.match(service('rabbitmq').image ?? '', /^rabbitmq:3[.\d]*-management/, 'RabbitMQ with the management plugin');
  assert.ok(containerPorts('rabbitmq').includes(15672), 'the management UI is published');
});

test('every app service runs the one image from the Dockerfile', () => {
  const builds = APP_SERVICES.map((name) => JSON.stringify(service(name).build));
  const images = APP_SERVICES.map((name) => service(name).image);
  for (const [i, name] of APP_SERVICES.entries()) assert.ok(builds[i] !== undefined, `${name} is built from the Dockerfile`);
  assert.equal(new Set(builds).size, 1, `one build for all: ${builds.join(', ')}`);
  assert.equal(new Set(images).size, 1, `one image name for all: ${images.join(', ')}`);
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ from: m[1]!, name: m[2] }));
  // A stage may build on an earlier one (the build stage on the dependencies): its base is that stage's.
  const earlier = (i: number) => stages.slice(0, i).map((s) => s.name);
  const ok = stages.every((s, i) => s.from === 'node:20-bookworm-slim' || earlier(i).includes(s.from));
  assert.ok(stages.length > 0 && ok, `every stage is node:20-bookworm-slim: ${stages.map((s) => s.from).join(', ')}`);
  assert.match(dockerfile, /^RUN\s+npm ci\b/m);
  // Production runs the compiled build with plain Node: a build stage compiles, the image runs dist/.
  assert.match(dockerfile, /^RUN\s+npm run build\b/m);
  assert.match(dockerfile, /^CMD\s+\["node",\s*"dist\/bin\/start\.js"\]/m);
});

test("each app service's command runs the compiled bin/start.ts for its own service, by a name it accepts", () => {
  for (const name of APP_SERVICES) {
    const command = commandOf(name);
    assert.deepEqual(command, ['node', 'dist/bin/start.js', name], `${name}: command ${JSON.stringify(command)}`);
    // bin/start.ts takes the subgraph names from SERVICES and tests the others literally.
    if (!(SERVICES as string[]).includes(name)) assert.ok(startSource.includes(`which === '${name}'`), `bin/start.ts does not accept "${name}"`);
  }
});

test('every environment variable set for an app service is a setting loadConfig accepts', () => {
  for (const name of APP_SERVICES) {
    const env = envOf(name);
    let config: Config | undefined;
    assert.doesNotThrow(() => {
      config = configOf(name);
    }, `${name}: loadConfig refuses its environment`);
    // loadConfig keeps only the keys its schema knows, so a misspelt or invented setting is missing here.
    const unknown = Object.keys(env).filter((key) => !(key in config!));
    assert.deepEqual(unknown, [], `${name}: not settings lib/platform/config.ts knows: ${unknown.join(', ')}`);
  }
});

test('the example secrets are published values: compose runs in development, and production refuses them until each is replaced', () => {
  for (const name of APP_SERVICES) {
    const env = envOf(name);
    assert.notEqual(configOf(name).NODE_ENV, 'production', `${name}: production would refuse the example secrets`);
    for (const [secret, published] of Object.entries(PUBLISHED_SECRETS)) {
      assert.ok(published.includes(env[secret] ?? ''), `${name}: ${secret} is set to an example value lib/platform/config.ts publishes (PUBLISHED_SECRETS)`);
    }
    assert.throws(() => loadConfig({ ...env, NODE_ENV: 'production' }), /a published development value/, `${name}: production refuses the examples`);
    const own = Object.fromEntries(Object.keys(PUBLISHED_SECRETS).map((secret) => [secret, `${secret.toLowerCase()}-of-our-own-0123456789abcdef`]));
    assert.doesNotThrow(
      () => loadConfig({ ...env, ...own, NODE_ENV: 'production' }),
      `${name}: with its own secrets, the rest of its settings satisfy production`,
    );
  }
});

test('published ports and the ports services listen on are the lib/platform/config.ts defaults', () => {
  const defaults = loadConfig({});
  const expected: Record<AppService, number> = { gateway: 4000, account: 4001, inventory: 4002, order: 4003, payment: 4004, 'stripe-emulator': 12111 };
  for (const name of APP_SERVICES) {
    assert.equal(listenPort(name, defaults), expected[name], `lib/platform/config.ts default port of ${name}`);
    const port = listenPort(name, configOf(name));
    assert.equal(port, expected[name], `${name} listens on its default port`);
    assert.deepEqual(containerPorts(name), [port], `${name} publishes the port it listens on`);
    const probe = JSON.stringify(service(name).healthcheck?.test ?? '');
    assert.ok(probe.includes(`127.0.0.1:${port}/health`), `${name}'s healthcheck probes its own port: ${probe}`);
  }
});

test('only the gateway is published on every host interface; everything else on the host loopback', () => {
  for (const name of Object.keys(compose.services)) {
    for (const address of hostAddresses(name)) {
      if (name === 'gateway') assert.equal(address, '', 'the gateway is the one public endpoint');
      else assert.equal(address, '127.0.0.1', `${name} is published on the host loopback only`);
    }
  }
});

test('services find each other by compose service name and port', () => {
  const mysqlPassword = String((service('mysql').environment as Record<string, unknown>)?.MYSQL_ROOT_PASSWORD ?? '');
  const rabbit = service('rabbitmq').environment as Record<string, unknown> | undefined;
  for (const name of APP_SERVICES) {
    const config = configOf(name);
    assert.equal(config.HOST, '0.0.0.0', `${name} listens on all interfaces`);
    for (const sub of SERVICES) {
      const url = config[`${sub.toUpperCase()}_URL` as 'ACCOUNT_URL'];
      assert.equal(url, `http://${sub}:${servicePort(config, sub)}`, `${name}: ${sub.toUpperCase()}_URL`);
    }
    assert.equal(config.STRIPE_WEBHOOK_URL, `http://payment:${config.PAYMENT_PORT}/stripe/webhook`, `${name}: STRIPE_WEBHOOK_URL`);
    if (name === 'gateway' || name === 'stripe-emulator') continue;
    const db = new URL(config.DATABASE_URL ?? 'missing://');
    assert.equal(db.host, 'mysql:3306', `${name}: DATABASE_URL points at the mysql service`);
    assert.equal(decodeURIComponent(db.password), mysqlPassword, `${name}: DATABASE_URL has the MySQL root password`);
    const amqp = new URL(config.AMQP_URL ?? 'missing://');
    assert.equal(amqp.host, 'rabbitmq:5672', `${name}: AMQP_URL points at the rabbitmq service`);
    assert.equal(decodeURIComponent(amqp.username), String(rabbit?.RABBITMQ_DEFAULT_USER ?? 'guest'), `${name}: AMQP_URL user`);
    assert.equal(decodeURIComponent(amqp.password), String(rabbit?.RABBITMQ_DEFAULT_PASS ?? 'guest'), `${name}: AMQP_URL password`);
  }
  // Tokens signed by account must verify everywhere, and internal calls must carry the same token.
  const secrets = APP_SERVICES.map((name) => configOf(name)).map((c) => `${c.JWT_SECRET} ${c.SERVICE_TOKEN} ${c.STRIPE_WEBHOOK_SECRET} ${c.METRICS_TOKEN}`);
  assert.equal(new Set(secrets).size, 1, 'every service shares JWT_SECRET, SERVICE_TOKEN, STRIPE_WEBHOOK_SECRET and METRICS_TOKEN');
});

test('start-up waits for health: subgraphs for mysql and rabbitmq, the gateway for the subgraphs', () => {
  for (const name of SERVICES) {
    const deps = dependsOn(name);
    assert.equal(deps.mysql, 'service_healthy', `${name} waits for a healthy mysql`);
    assert.equal(deps.rabbitmq, 'service_healthy', `${name} waits for a healthy rabbitmq`);
  }
  const gateway = dependsOn('gateway');
  for (const name of SERVICES) assert.equal(gateway[name], 'service_healthy', `gateway waits for a healthy ${name}`);
  for (const name of Object.keys(compose.services)) {
    for (const [dep, condition] of Object.entries(dependsOn(name))) {
      assert.ok(compose.services[dep], `${name} depends on unknown service ${dep}`);
      if (condition === 'service_healthy') assert.ok(compose.services[dep]!.healthcheck?.test, `${dep} needs a healthcheck for ${name} to wait on`);
    }
  }
});
