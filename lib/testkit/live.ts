// Follows a subscription over one transport and records what arrives, for tests of live status
// through the gateway, another gateway, or the order subgraph directly.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

/** `multipart` is Apollo Client's plain HttpLink (multipart/mixed; subscriptionSpec="1.0"). */
export type Transport = 'graphql-ws' | 'graphql-sse' | 'multipart';

export interface Recording {
  results: Record<string, any>[];
  /** The refusal or failure: graphql-ws's error payload, or the errors of a result without data. */
  error?: any;
  ended: Promise<'complete' | 'error'>;
  stop(): void;
}

export interface FollowOptions {
  url: string;
  token?: string;
  query: string;
  variables?: Record<string, unknown>;
}

export function subscribeOver(transport: Transport, o: FollowOptions): Recording {
  let settle!: (how: 'complete' | 'error') => void;
  const rec: Recording = { results: [], ended: new Promise((r) => (settle = r)), stop: () => undefined };
  const authorization = o.token ? `Bearer ${o.token}` : undefined;
  const sink = {
    next: (result: Record<string, any>) => {
      // Over SSE a refusal is a result with errors and no data.
      if (!result.data && result.errors) {
        rec.error = result.errors;
        return settle('error');
      }
      rec.results.push(result);
    },
    error: (err: unknown) => {
      rec.error = err;
      settle('error');
    },
    complete: () => settle(rec.error ? 'error' : 'complete'),
  };
  const payload = { query: o.query, variables: o.variables ?? {} };
  if (transport === 'graphql-ws') {
    const client = createWsClient({
      url: `${o.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
    });
    client.subscribe(payload, sink);
    rec.stop = () => void client.dispose();
  } else if (transport === 'multipart') {
    // The setup the README gives: Money has no id, so merge it into its parent instead of replacing.
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${o.url}/graphql`, headers: authorization ? { authorization } : {} }),
      cache: new InMemoryCache({ typePolicies: { Money: { merge: true } } }),
    });
    const subscription = client.subscribe({ query: gql(o.query), variables: o.variables ?? {} }).subscribe({
      next: (value) => (value.error ? sink.error((value.error as { errors?: unknown }).errors ?? [value.error]) : sink.next({ data: value.data })),
      error: (err: { errors?: unknown }) => sink.error(err.errors ?? err),
      complete: sink.complete,
    });
    rec.stop = () => {
      subscription.unsubscribe();
      client.stop();
    };
  } else {
    const client = createSseClient({ url: `${o.url}/graphql`, headers: authorization ? { authorization } : {}, retryAttempts: 0 });
    client.subscribe(payload, sink);
    rec.stop = () => client.dispose();
  }
  void rec.ended.then(() => setTimeout(rec.stop, 0));
  return rec;
}

export const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref())]);

/** The statuses an orderStatusChanged recording pushed, in order. */
export const pushedStatuses = (results: Record<string, any>[]): string[] => results.map((r) => r.data.orderStatusChanged.status);

/** A paid order's life; a subscriber that joined late sees a suffix of it. */
export const ORDER_LIFE = ['PENDING', 'WAITING_FOR_PAYMENT', 'PAID', 'FINISHED'];

/** The rest of ORDER_LIFE from `first` on: what a subscriber whose first push was `first` must see. */
export const lifeFrom = (first: string | undefined): string[] => ORDER_LIFE.slice(ORDER_LIFE.indexOf(first ?? ''));
