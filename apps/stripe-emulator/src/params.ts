/**
 * Typed readers over parsed form params, producing Stripe's validation messages. Stripe
 * treats an empty string as "not provided" (the SDK sends `null` that way), so do we.
 */
import { invalidParam, missingParam } from './errors.js';
import type { FormObject, FormValue } from './form.js';

export function optString(obj: FormObject, key: string, path = key, maxLength = 5000): string | undefined {
  const v = obj[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParam(path, `Invalid string: ${path} must be a string.`);
  if (v.length > maxLength) throw invalidParam(path, `Invalid string: must be at most ${maxLength} characters.`);
  return v;
}

export function reqString(obj: FormObject, key: string, path = key, maxLength?: number): string {
  const v = optString(obj, key, path, maxLength);
  if (v === undefined) throw missingParam(path);
  return v;
}

export function optInteger(obj: FormObject, key: string, path = key): number | undefined {
  const v = optString(obj, key, path);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw invalidParam(path, `Invalid integer: ${v}`);
  return Number(v);
}

export function optObject(obj: FormObject, key: string, path = key): FormObject | undefined {
  const v = obj[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' || Array.isArray(v)) throw invalidParam(path, `Invalid object: ${path} must be a hash.`);
  return v;
}

export function optArray(obj: FormObject, key: string, path = key): FormValue[] | undefined {
  const v = obj[key];
  if (v === undefined || v === '') return undefined;
  if (!Array.isArray(v)) throw invalidParam(path, `Invalid array: ${path} must be an array.`);
  return v;
}

/** Stripe's metadata limits: 50 keys, key ≤ 40 chars, value ≤ 500 chars; empty values drop the key. */
export function readMetadata(obj: FormObject, key = 'metadata'): Record<string, string> {
  const raw = optObject(obj, key);
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw invalidParam(`${key}[${k}]`, `Invalid string: ${key}[${k}] must be a string.`);
    if (k.length > 40) throw invalidParam(`${key}[${k}]`, 'Metadata keys can have up to 40 characters.');
    if (v.length > 500) throw invalidParam(`${key}[${k}]`, 'Metadata values can have up to 500 characters.');
    if (v !== '') out[k] = v;
  }
  if (Object.keys(out).length > 50) throw invalidParam(key, 'Metadata can have up to 50 keys.');
  return out;
}

/** `expand[0]=line_items` / `expand[]=line_items`. */
export function readExpand(obj: FormObject): string[] {
  const v = optArray(obj, 'expand') ?? [];
  return v.filter((x): x is string => typeof x === 'string');
}
