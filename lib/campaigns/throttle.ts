import { type BudgetOptions, rateHeadersOf, ShareBudget } from '@/lib/fleet/budget';

/**
 * A campaign's pace within the tenant's rate budget: the inventory's ShareBudget (lib/fleet/budget.ts: spend only
 * while more than `1 - share` of the bucket is left, and once the refill rate is known go at `share` of it), fed with
 * every Management API answer this process gets from the tenant (the rotations' own, the operators', the
 * inventory's), so it learns the bucket from all of them. `acquire(n)` waits until n requests may go.
 */
export class CampaignThrottle {
  readonly budget: ShareBudget;

  constructor(
    options: BudgetOptions,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> },
  ) {
    this.budget = new ShareBudget(options);
  }

  /** What an answer said of the bucket: its headers, when its request left and when it came (ms). */
  observe(headers: Headers, sentAt: number, receivedAt: number): void {
    this.budget.observe(
      rateHeadersOf((name) => headers.get(name)),
      sentAt,
      receivedAt,
    );
  }

  async acquire(requests: number): Promise<void> {
    for (let taken = 0; taken < requests; taken++) {
      for (let wait = this.budget.waitMs(this.clock.now()); wait > 0; wait = this.budget.waitMs(this.clock.now())) {
        await this.clock.sleep(wait);
      }
      this.budget.take(this.clock.now());
    }
  }

  /** Requests a second the campaign goes at, once learnt. */
  pace(): number | null {
    return this.budget.pace();
  }
}
