// GET /metrics, the same on the gateway and every subgraph. With METRICS_TOKEN set (production
// requires it) a scrape needs `Authorization: Bearer <METRICS_TOKEN>`; anything else is a 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express } from 'express';
import type { ServiceMetrics } from '../observability/metrics.js';

/**
 * Constant-time comparison: both sides are hashed first, so neither the time taken nor an early
 * length mismatch tells a guesser how much of the token was right.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** `beforeScrape` updates what is read on demand (the gateway's open subscriptions). */
export function metricsRoute(app: Express, metrics: ServiceMetrics, token: string | undefined, beforeScrape?: () => void): void {
  app.get('/metrics', async (req, res) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('www-authenticate', 'Bearer realm="metrics"').json({ error: 'metrics: Authorization: Bearer <METRICS_TOKEN> required' });
      return;
    }
    beforeScrape?.();
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
