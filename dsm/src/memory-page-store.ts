import { allows, weakens, type Access, type PageStore, type Rights } from './page-store.js';

/**
 * A node's frames as plain ArrayBuffers with a rights map, for tests and the
 * test agents. Revocation is modelled like the engine's handshake: the
 * *effective* rights (what a simulated vCPU may use) stay strong until the
 * injected `handshake` completes, so a store issued during the window lands
 * in the frame before the DSM reads it.
 */
export class MemoryPageStore implements PageStore {
  private readonly frames = new Map<number, Uint8Array>();
  private readonly rights = new Map<number, Rights>();

  /**
   * `handshake` defaults to immediate: no vCPU thread shares these frames, so
   * nothing can hold a stale right. The seeded scheduler injects a delayed one.
   */
  constructor(
    readonly unitBytes: number,
    private readonly handshake: () => Promise<void> = async () => undefined,
  ) {}

  read(unit: number): Uint8Array {
    return this.frame(unit).slice();
  }

  write(unit: number, data: Uint8Array): void {
    if (data.length !== this.unitBytes) throw new RangeError(`unit ${unit}: ${data.length} bytes, want ${this.unitBytes}`);
    this.frame(unit).set(data);
  }

  zero(unit: number): void {
    this.frame(unit).fill(0);
  }

  async setRights(unit: number, rights: Rights): Promise<void> {
    if (weakens(this.rightsOf(unit), rights)) await this.handshake();
    this.rights.set(unit, rights);
  }

  /** The rights a vCPU of this node can use right now. */
  rightsOf(unit: number): Rights {
    return this.rights.get(unit) ?? 'none';
  }

  /** A vCPU load: undefined when the rights do not allow it (the engine would take a page exit). */
  load32(unit: number, offset: number): number | undefined {
    if (!allows(this.rightsOf(unit), 'read')) return undefined;
    return new DataView(this.frame(unit).buffer).getUint32(offset, true);
  }

  /** A vCPU store: false when the rights do not allow it. */
  store32(unit: number, offset: number, value: number): boolean {
    if (!allows(this.rightsOf(unit), 'write')) return false;
    new DataView(this.frame(unit).buffer).setUint32(offset, value >>> 0, true);
    return true;
  }

  /** Atomic read-modify-write done by a vCPU holding write rights (AMOs need write ownership). */
  add32(unit: number, offset: number, delta: number): number | undefined {
    const old = this.load32(unit, offset);
    if (old === undefined || !this.store32(unit, offset, old + delta)) return undefined;
    return old;
  }

  can(unit: number, access: Access): boolean {
    return allows(this.rightsOf(unit), access);
  }

  private frame(unit: number): Uint8Array {
    let f = this.frames.get(unit);
    if (!f) {
      f = new Uint8Array(this.unitBytes);
      this.frames.set(unit, f);
    }
    return f;
  }
}
