import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { AmqpBroker } from './amqp.js';
import { InProcessBroker } from './in-process.js';
import type { Broker, BrokerOptions } from './port.js';

export type { Broker } from './port.js';

/** RabbitMQ when AMQP_URL is set, otherwise the in-process broker (all services in one process). */
export async function openBroker(config: Config, log: Logger, hooks: Pick<BrokerOptions, 'onRetry' | 'onDeadLetter'> = {}): Promise<Broker> {
  const options = { ...hooks, prefix: config.BROKER_PREFIX, maxAttempts: config.MAX_ATTEMPTS, retryBaseDelayMs: config.RETRY_BASE_DELAY };
  return config.AMQP_URL ? AmqpBroker.connect(config.AMQP_URL, options, log) : new InProcessBroker(options, log);
}
