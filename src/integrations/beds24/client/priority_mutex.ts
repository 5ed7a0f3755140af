import { priorityRank, type Beds24Priority } from './priority.ts';

interface Waiter {
  rank: number;
  seq: number;
  grant: () => void;
}

/** One holder at a time; waiters are served by priority, then in arrival order. */
export class PriorityMutex {
  private held = false;
  private seq = 0;
  private readonly waiters: Waiter[] = [];

  acquire(priority: Beds24Priority): Promise<() => void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        rank: priorityRank(priority),
        seq: this.seq++,
        grant: () => resolve(() => this.release()),
      };
      if (!this.held) {
        this.held = true;
        waiter.grant();
        return;
      }
      const at = this.waiters.findIndex((w) => w.rank > waiter.rank || (w.rank === waiter.rank && w.seq > waiter.seq));
      this.waiters.splice(at === -1 ? this.waiters.length : at, 0, waiter);
    });
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.held = false;
  }
}
