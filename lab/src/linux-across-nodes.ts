/**
 * Kernel command-line parameters for a Linux guest whose CPUs sit on several
 * nodes (docs/linux-dsm.md, "Keeping the tick on node 0"). Every parameter is
 * the kernel's own; the kernel needs CONFIG_NO_HZ_FULL (guest/linux's has it).
 *   - nohz_full=1-N: CPUs 1..N stop their periodic tick while they run one
 *     task, and CPU 0 keeps the timekeeping for good, so jiffies and the
 *     timekeeper's pages stay on CPU 0's node instead of moving every tick.
 *   - isolcpus=domain,1-N (isolate): CPUs 1..N are left out of load
 *     balancing, so no CPU reads another's run queue and unbound kernel work
 *     stays on CPU 0; only threads pinned there (as the SDK's par_run pins
 *     its threads) run on them.
 * One vCPU: nothing to add (the kernel needs a CPU for timekeeping).
 */
export function acrossNodesCmdline(vcpus: number, isolate: boolean): string {
  if (!Number.isInteger(vcpus) || vcpus < 1) throw new RangeError(`vcpus: a whole number >= 1 (got ${vcpus})`);
  if (vcpus === 1) return '';
  const rest = `1-${vcpus - 1}`;
  return isolate ? `nohz_full=${rest} isolcpus=domain,${rest}` : `nohz_full=${rest}`;
}
