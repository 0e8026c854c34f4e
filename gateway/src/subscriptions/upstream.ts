// The gateway's WebSockets to the subgraphs that own subscriptions: one per subgraph and subscriber
// credential, shared by all of that subscriber's subscriptions (graphql-ws multiplexes them), and
// closed a little after the last one ends. A new socket per subscription cost a WebSocket handshake
// and a connection_init (a token check) in the gateway and the subgraph for every checkout a
// storefront follows. Only subscriptions with the very same Authorization share a socket, so the
// subgraph still sees each subscriber as itself; the gateway checks the token on every subscribe,
// since the subgraph checked it only when the shared socket opened.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** How long a socket with no subscriptions left stays open for the subscriber's next one. */
const LINGER_MS = 5_000;

export class UpstreamSockets {
  private readonly clients = new Map<string, Client>();

  /** The shared client for this subgraph URL and credential (it connects on its first subscription). */
  client(httpUrl: string, authorization: string | undefined): Client {
    const key = `${httpUrl}\n${authorization ?? ''}`;
    const existing = this.clients.get(key);
    if (existing) return existing;
    const client = createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      // A lost socket fails its subscriptions (SUBGRAPH_UNAVAILABLE; the subscriber subscribes
      // again, and gets the current state first), rather than silently resubscribing.
      retryAttempts: 0,
      lazy: true,
      lazyCloseTimeout: LINGER_MS,
    });
    // Once closed (idle, refused, lost), the next subscription gets a fresh client.
    client.on('closed', () => {
      if (this.clients.get(key) === client) this.clients.delete(key);
    });
    this.clients.set(key, client);
    return client;
  }

  size(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.dispose()));
  }
}
