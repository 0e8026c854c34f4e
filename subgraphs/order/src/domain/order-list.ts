// Who sees which orders in the staff list: admins every order, a customer only their own whatever
// their filter says (so a customer's list can never reach another customer's orders). Pure.
import { unauthenticated } from '../../../../lib/contracts/errors.js';
import { normaliseEmail } from '../../../../lib/contracts/email.js';
import type { OrderStatus } from '../../../../lib/contracts/events.js';

export interface OrderFilterInput {
  status?: readonly OrderStatus[] | null;
  customerId?: string | null;
  email?: string | null;
  createdAfter?: Date | string | null;
  createdBefore?: Date | string | null;
}

/** The conditions a list query applies; null fields do not narrow it. */
export interface OrderListScope {
  statuses: OrderStatus[] | null;
  customerId: string | null;
  email: string | null;
  createdAfter: Date | null;
  createdBefore: Date | null;
}

interface Viewer {
  id: string;
  role: 'CUSTOMER' | 'ADMIN' | 'ORDER';
}

const asDate = (value: Date | string | null | undefined) => (value === null || value === undefined ? null : new Date(value));

export function orderListScope(user: Viewer | null, filter: OrderFilterInput | null | undefined): OrderListScope {
  // An order token reads its one order, nothing else: as good as no sign-in here.
  if (!user || user.role === 'ORDER') throw unauthenticated();
  return {
    // The schema's enum already refused unknown statuses; duplicates would only repeat a query.
    statuses: filter?.status?.length ? [...new Set(filter.status)] : null,
    customerId: user.role === 'ADMIN' ? (filter?.customerId ?? null) : user.id,
    // Contact emails are kept normalised (validateEmail), so the filter is too.
    email: filter?.email?.trim() ? normaliseEmail(filter.email) : null,
    createdAfter: asDate(filter?.createdAfter),
    createdBefore: asDate(filter?.createdBefore),
  };
}
