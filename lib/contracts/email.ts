// The one rule for an email address, wherever one is given (sign-up, an order's contact email).
import { badInput } from './errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The address trimmed and lower-cased; BAD_USER_INPUT naming the field otherwise. */
export function validateEmail(input: string, field = 'email'): string {
  const email = normaliseEmail(input);
  if (!EMAIL.test(email) || email.length > 254) throw badInput(`${field} must be a valid address`, { field });
  return email;
}
