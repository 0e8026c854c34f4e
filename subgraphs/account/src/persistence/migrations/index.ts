import { CreateAccountSchema1732000000001 } from './001-create-schema.js';
import { SignInCountersAndCouponLimits1732000000201 } from './002-sign-in-counters-and-coupon-limits.js';
import { SettledBenefitHolds1732000000301 } from './003-settled-benefit-holds.js';
import { CreditVersion1732000000401 } from './004-credit-version.js';
import { AccountEventsBackfill1732000000501 } from './005-account-events-backfill.js';
import { AuditLog1732000000601 } from './006-audit-log.js';
import { MessagingRetention1732000001801 } from './007-messaging-retention.js';

export const migrations = [
  CreateAccountSchema1732000000001,
  SignInCountersAndCouponLimits1732000000201,
  SettledBenefitHolds1732000000301,
  CreditVersion1732000000401,
  AccountEventsBackfill1732000000501,
  AuditLog1732000000601,
  MessagingRetention1732000001801,
];
