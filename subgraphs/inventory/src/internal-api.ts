// Internal endpoints for the order subgraph's try step (not reachable through the gateway).
import type { Express } from 'express';
import { z } from 'zod';
import { badInput } from '../../../lib/contracts/errors.js';
import { internalRoute } from '../../../lib/platform/http/internal-http.js';
import type { Runtime } from '../../../lib/platform/runtime/runtime.js';
import type { InventoryDeps } from './use-cases/deps.js';
import { holdStock } from './use-cases/hold-stock.js';
import { releaseStock } from './use-cases/release-stock.js';

const holdRequest = z.object({
  orderId: z.uuid(),
  items: z.array(z.object({ productId: z.string().min(1).max(64), quantity: z.number().int() })).max(1000),
});

export function internalRoutes(rt: Runtime, deps: InventoryDeps) {
  const internalAuth = { service: rt.name, serviceToken: rt.config.SERVICE_TOKEN, log: rt.log };
  return (app: Express) => {
    internalRoute(app, 'post', '/internal/holds', internalAuth, async (req) => {
      const parsed = holdRequest.safeParse(req.body);
      if (!parsed.success) throw badInput('invalid hold request');
      return { lines: await holdStock(deps, { orderId: parsed.data.orderId, lines: parsed.data.items }) };
    });
    internalRoute(app, 'delete', '/internal/holds/:orderId', internalAuth, async (req) => ({
      released: await releaseStock(deps, { orderId: String(req.params.orderId) }),
    }));
  };
}
