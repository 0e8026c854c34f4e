// Internal endpoints for the order subgraph's try step (not reachable through the gateway).
import type { Express } from 'express';
import { z } from 'zod';
import { internalRoute } from '../../../lib/platform/http/internal-http.js';
import { badInput } from '../../../lib/contracts/errors.js';
import type { Runtime } from '../../../lib/platform/runtime/runtime.js';
import type { AccountDeps } from './use-cases/deps.js';
import { holdBenefits } from './use-cases/hold-benefits.js';
import { releaseBenefits } from './use-cases/release-benefits.js';

const holdRequest = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1),
  couponCode: z.string().max(64).nullable(),
  useStoreCredit: z.boolean(),
  subtotal: z.number().int().min(0),
  /** The most the order could cost before credit (no discount, full shipping, tax on that): caps the credit taken. */
  maxCredit: z.number().int().min(0).optional(),
  currency: z.string().length(3),
});

export function internalRoutes(rt: Runtime, deps: AccountDeps) {
  const internalAuth = { service: rt.name, serviceToken: rt.config.SERVICE_TOKEN, log: rt.log };
  return (app: Express) => {
    internalRoute(app, 'post', '/internal/benefits', internalAuth, async (req) => {
      const parsed = holdRequest.safeParse(req.body);
      if (!parsed.success) throw badInput('invalid benefit hold request');
      return holdBenefits(deps, parsed.data);
    });
    internalRoute(app, 'delete', '/internal/benefits/:orderId', internalAuth, async (req) => ({
      released: await releaseBenefits(deps, { orderId: String(req.params.orderId) }),
    }));
  };
}
