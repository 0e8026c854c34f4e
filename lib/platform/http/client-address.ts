// The address a request came from, for throttling sign-in. The gateway takes it from the client's
// socket or, behind TRUST_PROXY_HOPS load balancers, from what they appended to X-Forwarded-For
// (proxy-addr, as Express does), and passes it on to the subgraphs as X-Forwarded-For. A subgraph
// believes that header because only the gateway reaches it (the README's Security section).
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export const CLIENT_ADDRESS_HEADER = 'x-forwarded-for';

/** At the gateway: the client's address, trusting only the last `trustedHops` proxies. */
export function clientAddressAtGateway(req: IncomingMessage, trustedHops: number): string {
  return proxyaddr(req, (_address, hop) => hop < trustedHops);
}

/** At a subgraph: the address the gateway forwarded, or the caller's own socket. */
export function clientAddressAtSubgraph(req: IncomingMessage): string {
  const forwarded = req.headers[CLIENT_ADDRESS_HEADER];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}
