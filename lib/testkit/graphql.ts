// A small GraphQL client for tests: failures print the operation and the whole response.
import assert from 'node:assert/strict';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
  extensions?: Record<string, any>;
}

export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url.endsWith('/graphql') ? url : `${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`Not JSON (HTTP ${res.status}) for\n${query}\n---\n${text}`);
  }
}

/** The data of a response that must have no errors. */
export async function ok<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await gql<T>(url, query, variables, token);
  assert.ok(!res.errors?.length && res.data, `Expected no errors for\n${query}\nvariables ${JSON.stringify(variables)}\n---\n${JSON.stringify(res, null, 2)}`);
  return res.data as T;
}

/** The first error of a response that must fail, checked for its extensions.code. */
export async function fails(url: string, code: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await gql(url, query, variables, token);
  const error = res.errors?.[0];
  assert.equal(error?.extensions?.code, code, `Expected ${code} for\n${query}\nvariables ${JSON.stringify(variables)}\n---\n${JSON.stringify(res, null, 2)}`);
  return error!;
}

/** Polls until check returns a truthy value; throws with the last value after the timeout. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await check();
      if (last) return last as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A response without its per-request trace id, for comparing whole responses. */
export function withoutTraceId<T>(res: GraphQLResponse<T>): GraphQLResponse<T> {
  const { traceId: _traceId, ...rest } = res.extensions ?? {};
  const { extensions: _extensions, ...body } = res;
  return Object.keys(rest).length ? { ...body, extensions: rest } : body;
}
