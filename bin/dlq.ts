// npm run dlq -- list [--json]   → the dead-lettered messages: queue, attempts, error, event id and type
// npm run dlq -- replay          → moves them back to their queues with a fresh attempt count
// Reads the same settings as the services (AMQP_URL, BROKER_PREFIX). The in-process broker keeps
// its dead letters in the running process only, so without AMQP_URL there is nothing to reach.
import { openBroker } from '../lib/platform/messaging/index.js';
import type { DeadLetter } from '../lib/platform/messaging/port.js';
import { ConfigError, loadConfig } from '../lib/platform/config.js';
import { createLogger } from '../lib/platform/observability/logger.js';

const USAGE = 'usage: npm run dlq -- list [--json] | replay';

async function main(): Promise<number> {
  const [command, ...flags] = process.argv.slice(2);
  if (command !== 'list' && command !== 'replay') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (!config.AMQP_URL) {
    console.error(
      'AMQP_URL is not set: the embedded in-process broker keeps its dead-letter queue inside the running process only,\n' +
        'so this command cannot reach it (it is empty after a restart). Set AMQP_URL to inspect RabbitMQ.',
    );
    return 1;
  }
  // pino writes JSON lines to stdout: keep them to warnings so the listing stays readable.
  const log = createLogger('dlq', ['debug', 'trace'].includes(config.LOG_LEVEL) ? config.LOG_LEVEL : 'warn');
  const broker = await openBroker(config, log);
  try {
    if (command === 'replay') {
      const n = await broker.replayDeadLetters();
      const left = (await broker.peekDeadLetters()).length;
      console.log(`replayed ${n} message(s) from ${config.BROKER_PREFIX}.dead-letter${left ? `; ${left} left (no original queue recorded)` : ''}`);
      return 0;
    }
    const letters = await broker.peekDeadLetters();
    if (flags.includes('--json')) {
      console.log(JSON.stringify(letters, null, 2));
      return 0;
    }
    console.log(`${letters.length} message(s) in ${config.BROKER_PREFIX}.dead-letter`);
    for (const row of letters.map(describe)) console.log(row);
    return 0;
  } finally {
    await broker.close();
  }
}

/** One line per message: queue, attempts, event type and id, error. */
function describe(letter: DeadLetter): string {
  const event = letter.event as { id?: unknown; type?: unknown } | string | null;
  const id = typeof event === 'object' && event && typeof event.id === 'string' ? event.id : '-';
  const type = typeof event === 'object' && event && typeof event.type === 'string' ? event.type : '(not an event)';
  return [letter.queue || '(unknown queue)', `attempts=${letter.attempts}`, type, id, `error: ${letter.error}`].join('\t');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `dlq failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
