/**
 * Stripe's list endpoints: newest first, `limit` 1..100 (default 10), cursors `starting_after` /
 * `ending_before` naming an object of the list, `created` as a timestamp or a range
 * (`created[gte]=…`), and the answer `{ object: 'list', data, has_more, url }`.
 */
import type Stripe from 'stripe';
import { invalidParam, resourceMissing } from './errors.js';
import type { FormObject } from './form.js';
import { optInteger, optObject, optString } from './params.js';

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

/** The `created` filter as a predicate; undefined when absent. */
export function createdFilter(params: FormObject): ((created: number) => boolean) | undefined {
  if (typeof params.created === 'string') {
    const exact = optInteger(params, 'created');
    return exact === undefined ? undefined : (c) => c === exact;
  }
  const range = optObject(params, 'created');
  if (!range) return undefined;
  const bound: Partial<Record<(typeof RANGE_KEYS)[number], number>> = {};
  for (const key of Object.keys(range)) {
    if (!(RANGE_KEYS as readonly string[]).includes(key))
      throw invalidParam(`created[${key}]`, `Received unknown parameter: created[${key}]`, 'parameter_unknown');
    bound[key as (typeof RANGE_KEYS)[number]] = optInteger(range, key, `created[${key}]`);
  }
  return (c) =>
    (bound.gt === undefined || c > bound.gt) &&
    (bound.gte === undefined || c >= bound.gte) &&
    (bound.lt === undefined || c < bound.lt) &&
    (bound.lte === undefined || c <= bound.lte);
}

/** One page of `newestFirst` (already filtered) as Stripe answers it. */
export function paginate<T extends { id: string }>(newestFirst: T[], params: FormObject, url: string, kind: string): Stripe.ApiList<T> {
  const limit = optInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'This value must be between 1 and 100 (inclusive).');
  const after = optString(params, 'starting_after');
  const before = optString(params, 'ending_before');
  if (after !== undefined && before !== undefined) {
    throw invalidParam('starting_after', 'You may only specify one of these parameters: ending_before, starting_after.');
  }
  let data: T[];
  let hasMore: boolean;
  if (before !== undefined) {
    // The page just newer than the cursor, still in newest-first order.
    const end = indexOf(newestFirst, before, 'ending_before', kind);
    const start = Math.max(0, end - limit);
    data = newestFirst.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = after === undefined ? 0 : indexOf(newestFirst, after, 'starting_after', kind) + 1;
    data = newestFirst.slice(start, start + limit);
    hasMore = start + limit < newestFirst.length;
  }
  return { object: 'list', data, has_more: hasMore, url };
}

function indexOf<T extends { id: string }>(items: T[], id: string, param: string, kind: string): number {
  const i = items.findIndex((item) => item.id === id);
  if (i < 0) throw resourceMissing(kind, id, 400, param);
  return i;
}
