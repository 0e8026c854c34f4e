// Tax rates of the built-in rate table: admins set them per country or region.
import countries from 'i18n-iso-countries';
import { adminAction } from '../../../../lib/contracts/audit.js';
import { badInput } from '../../../../lib/contracts/errors.js';
import type { TaxRate } from '../domain/tax.js';
import { TaxRateEntity, type TaxRateRow } from '../persistence/entities.js';
import { taxRateOf } from '../persistence/rate-table-tax.js';
import type { OrderDeps } from './deps.js';

export interface TaxRateInput {
  country: string;
  region?: string | null;
  rate: number;
  appliesToShipping?: boolean | null;
}

/** Sets, or replaces, the rate of a country (no region) or of one of its regions. */
export async function setTaxRate({ transact }: Pick<OrderDeps, 'transact'>, input: TaxRateInput & { actorId: string }): Promise<TaxRate> {
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !countries.isValid(country))
    throw badInput('country must be an ISO 3166-1 alpha-2 code such as US or DE', { field: 'country' });
  // Matched case-insensitively against addresses (rateFor), so kept in one case.
  const region = input.region?.trim().toUpperCase() ?? '';
  if (region.length > 100) throw badInput('region may be at most 100 characters', { field: 'region' });
  if (!Number.isInteger(input.rate) || input.rate < 0 || input.rate > 10_000)
    throw badInput('rate is in basis points, from 0 to 10000 (825 = 8.25%)', { field: 'rate' });
  const row: TaxRateRow = { country, region, rate: input.rate, appliesToShipping: input.appliesToShipping ?? true };
  await transact(async ({ em, enqueue }) => {
    await em.upsert(TaxRateEntity, row, ['country', 'region']);
    const where = region ? `${country}-${region}` : country;
    await enqueue(adminAction(input.actorId, 'setTaxRate', where, `${row.rate} bp${row.appliesToShipping ? ', shipping too' : ''}`));
  });
  return taxRateOf(row);
}

export async function listTaxRates({ db }: Pick<OrderDeps, 'db'>): Promise<TaxRate[]> {
  return (await db.manager.find(TaxRateEntity, { order: { country: 'ASC', region: 'ASC' } })).map(taxRateOf);
}
