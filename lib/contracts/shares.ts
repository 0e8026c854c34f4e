// One way to split an amount over lines, for every place that must agree to the cent: the order's
// totals spread the discount over its lines this way, and the Stripe session's lines do the same.

/**
 * Splits `total` over `weights` in proportion, by largest remainder: the shares add up to `total`
 * exactly and none exceeds its weight (total ≤ Σ weights). Ties go to the earlier weight.
 */
export function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, s) => a + s, 0);
  const byRemainder = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    if (shares[i]! < weights[i]!) {
      shares[i]! += 1;
      left -= 1;
    }
  }
  return shares;
}
