/**
 * Fault injection for tests: the next `count` requests matching a method and path prefix answer
 * 500. `when` says where the failure strikes, which decides what a retry sees:
 * - 'before': the request never executes and nothing is saved, so a retry with the same
 *   Idempotency-Key executes (a network blip, a load balancer's 500);
 * - 'after': the request executes (the session or refund exists) and then answers 500, and
 *   Stripe's idempotency layer saves that 500: a retry with the key gets it replayed for 24 h.
 */
export type FaultTiming = 'before' | 'after';

interface Fault {
  method: string;
  pathPrefix: string;
  remaining: number;
  when: FaultTiming;
}

export class Faults {
  private readonly faults: Fault[] = [];

  /** A new count for the same method and path replaces the old one (whatever its timing), so 0 clears it. */
  failNext(method: string, pathPrefix: string, count: number, when: FaultTiming = 'before'): void {
    const m = method.toUpperCase();
    const same = this.faults.findIndex((f) => f.method === m && f.pathPrefix === pathPrefix);
    if (same >= 0) this.faults.splice(same, 1);
    if (count > 0) this.faults.push({ method: m, pathPrefix, remaining: count, when });
  }

  /** Consumes one fault of this timing for the request, if any is armed. */
  take(method: string, path: string, when: FaultTiming): boolean {
    const fault = this.faults.find((f) => f.when === when && f.method === method && path.startsWith(f.pathPrefix) && f.remaining > 0);
    if (!fault) return false;
    fault.remaining -= 1;
    return true;
  }
}
