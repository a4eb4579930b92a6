/**
 * The node's half of `--vcpu-migration fault-affinity`: per local hart,
 * which nodes served its DSM faults over a window of them. When one other
 * node served most of a window, the hart should run there (GiantVM's and
 * TidalScale's DSM-aware placement): the node asks the coordinator, which
 * decides (one move at a time, a back-off per hart against ping-pong).
 * A hart that just arrived sits out `settleWindows` windows first, so the
 * faults of its move (its working set following it) do not count.
 */
export interface FaultAffinityOptions {
  /** This node (faults it served itself do not count). */
  self: number;
  /** Faults served by other nodes per decision. */
  window: number;
  /** Share of a window one node must have served. */
  share: number;
  settleWindows: number;
}

export const FAULT_AFFINITY_DEFAULTS = { window: 64, share: 0.75, settleWindows: 2 } as const;

interface HartWindow {
  byNode: Map<number, number>;
  total: number;
  settle: number;
}

const freshWindow = (settle: number): HartWindow => ({ byNode: new Map(), total: 0, settle });

export class FaultAffinity {
  private readonly harts = new Map<number, HartWindow>();

  constructor(private readonly opts: FaultAffinityOptions) {}

  /** One of `hart`'s faults was served by node `by`: the node it should move to, when this closes a window that says so. */
  served(hart: number, by: number): number | undefined {
    if (by === this.opts.self) return undefined;
    const w = this.windowOf(hart);
    w.byNode.set(by, (w.byNode.get(by) ?? 0) + 1);
    if (++w.total < this.opts.window) return undefined;
    const [top, count] = [...w.byNode].reduce((a, b) => (b[1] > a[1] ? b : a));
    w.byNode.clear();
    w.total = 0;
    if (w.settle > 0) {
      w.settle--;
      return undefined;
    }
    return count >= this.opts.share * this.opts.window ? top : undefined;
  }

  /** The hart runs here now (it migrated in): start afresh, after settling. */
  arrived(hart: number): void {
    this.harts.set(hart, freshWindow(this.opts.settleWindows));
  }

  left(hart: number): void {
    this.harts.delete(hart);
  }

  private windowOf(hart: number): HartWindow {
    let w = this.harts.get(hart);
    if (!w) {
      w = freshWindow(0);
      this.harts.set(hart, w);
    }
    return w;
  }
}
