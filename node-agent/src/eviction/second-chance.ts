/**
 * CLOCK (second chance) over a node's resident DSM units. The engine sets
 * A/D bits only in the guest's own page tables, never in our GPA table, so
 * recency here is a host-side approximation: a unit's reference bit is set
 * whenever the node faults it in, swaps it in or the DSM installs it (a
 * grant, a copy). A unit the vCPUs keep hitting through their TLB without
 * faulting is not seen as used; it gets its second chance only from its last
 * fault. The hand sweeps unit numbers in order, skipping units not resident.
 *
 * @example
 *   const victims = new SecondChance(units);
 *   clock.add(7); clock.touch(7);
 *   const victim = clock.victim((u) => !busy(u)); // -1 if none
 */
export class SecondChance {
  private readonly resident: Uint8Array;
  private readonly referenced: Uint8Array;
  private hand = 0;
  private count = 0;

  constructor(readonly units: number) {
    this.resident = new Uint8Array(units);
    this.referenced = new Uint8Array(units);
  }

  get size(): number {
    return this.count;
  }

  has(unit: number): boolean {
    return this.resident[unit] === 1;
  }

  /** The unit now holds frames here; it starts referenced. */
  add(unit: number): void {
    if (this.resident[unit] === 0) this.count++;
    this.resident[unit] = 1;
    this.referenced[unit] = 1;
  }

  remove(unit: number): void {
    if (this.resident[unit] === 1) this.count--;
    this.resident[unit] = 0;
    this.referenced[unit] = 0;
  }

  touch(unit: number): void {
    if (this.resident[unit] === 1) this.referenced[unit] = 1;
  }

  /**
   * The next resident unit whose reference bit is clear and that `accept`s,
   * clearing reference bits on the way (second chance). -1 after two full
   * turns without one.
   */
  victim(accept: (unit: number) => boolean = () => true): number {
    if (this.count === 0) return -1;
    for (let steps = 0; steps < 2 * this.units; steps++) {
      const u = this.hand;
      this.hand = (this.hand + 1) % this.units;
      if (this.resident[u] === 0) continue;
      if (this.referenced[u] === 1) {
        this.referenced[u] = 0;
        continue;
      }
      if (accept(u)) return u;
    }
    return -1;
  }
}
