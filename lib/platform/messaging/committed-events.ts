// This process's own events, handed to listeners in this process right after their transaction
// commits, while the relay is still publishing them. It skips the trip through the relay and the
// broker for work that only needs to be quick (live push: the order service's own transitions
// reach its subscribers a broker round trip sooner). It guarantees nothing: a listener that needs
// every event also takes the broker's copy and ignores what it has seen (OrderFollow does, by
// status sequence). A small map rather than node's EventEmitter, which would let a listener's
// throw reach the committing caller and leave its rejections unhandled.
import type { EventEnvelope, EventType } from '../../contracts/events.js';
import type { Logger } from '../observability/logger.js';
import type { Handler } from './port.js';

export class CommittedEvents {
  private readonly listeners = new Map<EventType, Handler[]>();

  constructor(private readonly log: Logger) {}

  on(eventType: EventType, handler: Handler): void {
    this.listeners.set(eventType, [...(this.listeners.get(eventType) ?? []), handler]);
  }

  /** Never throws: the commit stands whatever a listener does. */
  emit(events: EventEnvelope[]): void {
    for (const event of events) {
      for (const handler of this.listeners.get(event.type) ?? []) {
        Promise.resolve()
          .then(() => handler(event))
          .catch((err) => this.log.warn({ err, eventId: event.id, type: event.type }, 'a listener of committed events failed'));
      }
    }
  }
}
