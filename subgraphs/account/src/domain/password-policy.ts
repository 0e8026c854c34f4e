// What signUp accepts as a password: long enough, not blank, and not one of the most common
// passwords (zxcvbn-ts's list of about 49,000, as its password-strength estimate uses it).
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

// The list is lower-case, so a password is looked up lower-cased: "Password123" is as common.
const COMMON_PASSWORDS = new Set(dictionary['passwords-common']);

/** Why a new password is refused, as a message for the customer; null when it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;
  }
  if (!password.trim()) return 'password must not be only whitespace';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'password is one of the most common passwords: choose another';
  return null;
}
