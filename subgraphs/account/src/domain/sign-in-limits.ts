// Pure rules of sign-in throttling: which counters an attempt counts against, and for how long a
// refusal lasts. Windows are fixed: they start at a counter's first hit and last SIGN_IN_WINDOW.
import { createHash } from 'node:crypto';

export interface SignInLimits {
  windowMs: number;
  loginFailuresPerEmail: number;
  loginFailuresPerAddress: number;
  signUpsPerAddress: number;
}

/** A counter an attempt is counted against, and how many hits its window allows. */
export interface Counter {
  key: string;
  limit: number;
}

/**
 * A kind and a hash of what it counts: the key has one length whatever was typed as the email,
 * and the table stores no email or address.
 */
export function counterKey(kind: 'login-email' | 'login-address' | 'sign-up-address', subject: string): string {
  return `${kind}:${createHash('sha256').update(subject).digest('base64url')}`;
}

/** A logIn counts against its email and its client address; the email counter comes first. */
export function logInCounters(limits: SignInLimits, email: string, clientAddress: string): [Counter, Counter] {
  return [
    { key: counterKey('login-email', email), limit: limits.loginFailuresPerEmail },
    { key: counterKey('login-address', clientAddress), limit: limits.loginFailuresPerAddress },
  ];
}

export function signUpCounters(limits: SignInLimits, clientAddress: string): Counter[] {
  return [{ key: counterKey('sign-up-address', clientAddress), limit: limits.signUpsPerAddress }];
}

/** Whole seconds until a window that started at windowStart has passed; at least 1. */
export function retryAfterSeconds(windowStart: Date, windowMs: number, now: Date): number {
  return Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
}
