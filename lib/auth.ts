// Customer tokens (JWT via jose), password hashing (scrypt from node:crypto) and the
// service token for internal calls. Every subgraph verifies the bearer token itself.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { IncomingHttpHeaders } from 'node:http';
import { forbidden, unauthenticated } from './errors.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export type Role = 'CUSTOMER' | 'ADMIN';
export interface AuthUser {
  id: string;
  role: Role;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, until they expire. A client sends the same token with every request,
   * and each subgraph of a federated request verifies it again; jose verifies through WebCrypto
   * (key import and HMAC on the thread pool), which the bench profiles showed in every service.
   * The key is the whole token, so a changed token is verified afresh.
   */
  private readonly verified = new LRUCache<string, { user: AuthUser; expiresAt: number }>({ max: 10_000 });
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(user: AuthUser): Promise<string> {
    return new SignJWT({ role: user.role }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuedAt().setExpirationTime('7d').sign(this.key);
  }

  /** The user a bearer token names, or null for no token; a bad token is UNAUTHENTICATED. */
  async userFromAuthorization(header: string | undefined): Promise<AuthUser | null> {
    if (!header) return null;
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (!token) throw unauthenticated();
    const known = this.verified.get(token);
    // The wall clock, as jose checks it (the cache's own TTL follows a monotonic clock).
    if (known && known.expiresAt > Date.now()) return known.user;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const role = payload.role === 'ADMIN' ? 'ADMIN' : 'CUSTOMER';
      if (!payload.sub) throw unauthenticated();
      const user: AuthUser = { id: payload.sub, role };
      // Only tokens that expire are kept, and never past their expiry.
      const ttl = payload.exp ? payload.exp * 1000 - Date.now() : 0;
      if (ttl > 0) this.verified.set(token, { user, expiresAt: payload.exp! * 1000 }, { ttl });
      return user;
    } catch {
      throw unauthenticated();
    }
  }
}

export function requireUser(user: AuthUser | null): AuthUser {
  if (!user) throw unauthenticated();
  return user;
}

export function requireAdmin(user: AuthUser | null): AuthUser {
  const u = requireUser(user);
  if (u.role !== 'ADMIN') throw forbidden();
  return u;
}

/** May this user see something owned by ownerId? Owners and admins may. */
export function canSee(user: AuthUser | null, ownerId: string): boolean {
  return !!user && (user.role === 'ADMIN' || user.id === ownerId);
}

/** Internal endpoints take the shared SERVICE_TOKEN, compared in constant time. */
export function isServiceCall(headers: IncomingHttpHeaders, serviceToken: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(serviceToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
