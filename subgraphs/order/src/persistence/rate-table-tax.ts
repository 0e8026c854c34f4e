// The built-in TaxCalculator: the rates admins set with setTaxRate, read from tax_rates at each
// checkout (a handful of rows), so a new rate applies to the next order without a restart.
import type { Address } from '../../../../lib/contracts/address.js';
import type { Database } from '../../../../lib/platform/db/database.js';
import { rateFor, taxByRate, type TaxCalculator, type TaxRate } from '../domain/tax.js';
import type { Taxable, TaxLines } from '../domain/totals.js';
import { TaxRateEntity, type TaxRateRow } from './entities.js';

/** A row as the domain sees it: the country's own rate has region null. */
export const taxRateOf = (row: TaxRateRow): TaxRate => ({
  country: row.country,
  region: row.region || null,
  rate: row.rate,
  appliesToShipping: row.appliesToShipping,
});

export class RateTableTaxCalculator implements TaxCalculator {
  constructor(private readonly db: Database) {}

  async calculateTax(taxable: Taxable, address: Address | null, pricesIncludeTax: boolean): Promise<TaxLines> {
    if (!address) return taxByRate(taxable, null, pricesIncludeTax);
    const rows = await this.db.manager.findBy(TaxRateEntity, { country: address.country });
    return taxByRate(taxable, rateFor(rows.map(taxRateOf), address), pricesIncludeTax);
  }
}
