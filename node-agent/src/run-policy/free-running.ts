/**
 * Free-running: every hart runs as fast as its thread does, a page the node
 * does not hold goes to the main thread (the DSM) at once, WFI sleeps on the
 * host until an interrupt or the timer. The default, and the fast path: a
 * turn is one engine run to its next exit.
 */
import { HartRunState } from '../hart-mailbox.js';
import type { QuantumEnd } from './quantum-gate.js';
import { MAX_WAIT_MS, type Hart, type HartPolicy, type RunBoot, type RunPolicy } from './run-policy.js';

/** The NodeAgent's side: nothing to grant, nobody waits for a turn. */
export class FreeRunning implements RunPolicy {
  readonly boot: RunBoot = { kind: 'free' };
  setPaused(): void {}
  wake(): void {}
}

export class FreeRunningHart implements HartPolicy {
  readonly clock = undefined;
  readonly posts = true;
  readonly sleeps = true;

  turn(hart: Hart): QuantumEnd | undefined {
    const sbi = hart.sbi;
    if (sbi && !sbi.tryStart()) { // HSM-stopped until a hart_start
      hart.publish(HartRunState.Wfi);
      sbi.waitStart(MAX_WAIT_MS);
      return undefined;
    }
    hart.publish(HartRunState.Running);
    return hart.exit(hart.engine.run());
  }

  fault(hart: Hart, gpa: number, access: 'read' | 'write' | 'fetch'): undefined {
    hart.forwardFault(gpa, access);
    return undefined;
  }

  wfi(hart: Hart): undefined {
    hart.sleep();
    return undefined;
  }

  yielded(hart: Hart): undefined {
    hart.count('yield'); // the loop checks control before the next turn
    return undefined;
  }

  leave(): void {}
}
