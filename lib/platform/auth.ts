// Customer tokens (JWT via jose) and password hashing (scrypt from node:crypto). Every subgraph
// verifies the bearer token itself; internal calls are signed in internal-call.ts.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { GraphQLError } from 'graphql';
import { forbidden, unauthenticated, userError } from '../contracts/errors.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * ORDER is a guest's order token: its id is the one order it may read (and follow), and it is
 * nobody's customer token, so everything else treats it as no sign-in at all or refuses it.
 */
export type Role = 'CUSTOMER' | 'ADMIN' | 'ORDER';
export interface AuthUser {
  id: string;
  role: Role;
}

const ROLES: readonly Role[] = ['CUSTOMER', 'ADMIN', 'ORDER'];

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * The scrypt hash of a random password nobody knows. logIn verifies an unknown email's password
 * against it, so that an unknown email costs one scrypt like a known one and the answer's timing
 * does not reveal which emails have accounts. Same salt and key sizes as hashPassword makes.
 */
export const DUMMY_PASSWORD_HASH = 'scrypt$CA6525gR6YfKV6+KoH2l6Q==$79TYzoJ+iMDzeILp+nUxnLx7cn5rXw/9aAU+35TMqKQ=';

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
  /** @param ttlMs how long the tokens sign() makes stay valid (JWT_TTL). */
  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** @param ttlMs how long this token stays valid; JWT_TTL unless given (order tokens live longer). */
  sign(user: AuthUser, ttlMs = this.ttlMs): Promise<string> {
    const expiresAt = Math.floor((Date.now() + ttlMs) / 1000);
    return new SignJWT({ role: user.role }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuedAt().setExpirationTime(expiresAt).sign(this.key);
  }

  /**
   * userFromAuthorization for an HTTP request's context function. Apollo answers HTTP 500 for any
   * error thrown while the context is built unless the error names a status, so a bad token says
   * 401 here. Only here: resolver-level UNAUTHENTICATED stays a 200 with errors, and the WebSocket
   * path calls userFromAuthorization itself, so no `http` extension reaches its clients.
   */
  async userFromHttpAuthorization(header: string | undefined): Promise<AuthUser | null> {
    try {
      return await this.userFromAuthorization(header);
    } catch (err) {
      const { message, extensions } = err as GraphQLError;
      throw userError('UNAUTHENTICATED', message, { ...extensions, http: { status: 401 } });
    }
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
      // A token without exp would be valid forever: refused.
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
      const role = ROLES.find((r) => r === payload.role) ?? 'CUSTOMER';
      if (!payload.sub) throw unauthenticated();
      const user: AuthUser = { id: payload.sub, role };
      // Kept never past its expiry.
      const ttl = payload.exp! * 1000 - Date.now();
      if (ttl > 0) this.verified.set(token, { user, expiresAt: payload.exp! * 1000 }, { ttl });
      return user;
    } catch {
      throw unauthenticated();
    }
  }
}

/** A signed-in customer or admin; an order token is refused, as it reads only its order. */
export function requireUser(user: AuthUser | null): AuthUser {
  if (!user || user.role === 'ORDER') throw unauthenticated();
  return user;
}

/** The signed-in customer or admin, or null for no sign-in; an order token is refused. */
export function customerOrAnonymous(user: AuthUser | null): AuthUser | null {
  return user && requireUser(user);
}

export function requireAdmin(user: AuthUser | null): AuthUser {
  const u = requireUser(user);
  if (u.role !== 'ADMIN') throw forbidden();
  return u;
}

/** May this user see something owned by ownerId? Owners and admins may (never an order token). */
export function canSee(user: AuthUser | null, ownerId: string): boolean {
  return !!user && (user.role === 'ADMIN' || (user.role === 'CUSTOMER' && user.id === ownerId));
}

/** May this user see an order, or what hangs off it (payment, shipment)? Its customer, admins, and its order token. */
export function canSeeOrder(user: AuthUser | null, order: { orderId: string; customerId: string }): boolean {
  return canSee(user, order.customerId) || (user?.role === 'ORDER' && user.id === order.orderId);
}
