/**
 * Parser for Stripe's form encoding: `line_items[0][price_data][currency]=usd`,
 * `metadata[orderId]=42`, `expand[]=line_items`. The stripe SDK always sends v1 request
 * bodies this way (indexed arrays, bracketed objects). We do not depend on `qs`, which is
 * only present transitively via express.
 */
import { invalidParam } from './errors.js';

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

type Node = Map<string, Node | string>;

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

function splitKey(raw: string): string[] {
  const m = KEY.exec(raw);
  if (!m) throw invalidParam(raw, `Invalid parameter name: ${raw}`);
  const rest = m[2] ? m[2].slice(1, -1).split('][') : [];
  return [m[1]!, ...rest];
}

export function parseForm(body: string): FormObject {
  // Maps instead of plain objects while building: no prototype keys (`__proto__`) to trip on.
  const root: Node = new Map();
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const segments = splitKey(rawKey);
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      // `[]` appends, as in `expand[]=a&expand[]=b`.
      const seg = segments[i] === '' ? String(node.size) : segments[i]!;
      if (i === segments.length - 1) {
        if (node.get(seg) instanceof Map) throw invalidParam(rawKey, `Invalid value for ${rawKey}: expected an object.`);
        node.set(seg, value);
        break;
      }
      let child = node.get(seg);
      if (child === undefined) node.set(seg, (child = new Map()));
      if (typeof child === 'string') {
        // `metadata=` (empty) followed by `metadata[k]=v`: the empty value means "unset", let the object win.
        if (child !== '') throw invalidParam(rawKey, `Invalid value for ${segments.slice(0, i + 1).join('.')}: expected an object.`);
        node.set(seg, (child = new Map()));
      }
      node = child;
    }
  }
  return toValue(root) as FormObject;
}

/** Maps whose keys are exactly 0..n-1 become arrays (Stripe's indexed array notation). */
function toValue(node: Node | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = [...node.keys()];
  const isArray = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (isArray) {
    const indexes = keys.map(Number).sort((a, b) => a - b);
    if (indexes.every((n, i) => n === i)) return indexes.map((i) => toValue(node.get(String(i))!));
  }
  return Object.fromEntries(keys.map((k) => [k, toValue(node.get(k)!)]));
}

/** Stable string form of parsed params, used to compare idempotent requests regardless of key order. */
export function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(',')}}`;
}
