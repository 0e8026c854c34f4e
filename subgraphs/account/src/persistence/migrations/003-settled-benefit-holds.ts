import { settledStatusMigration } from '../../../../../lib/platform/holds/renamed-status.js';

/** Final benefit holds take the hold lifecycle's name for a hold whose order was paid: FINAL becomes SETTLED. */
export const SettledBenefitHolds1732000000301 = settledStatusMigration('SettledBenefitHolds1732000000301', 'benefit_holds', 'FINAL');
