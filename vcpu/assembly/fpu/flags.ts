// Accrued IEEE exception flags, in the RISC-V fflags bit layout.
// The interpreter reads and clears fpFlags after each FP instruction.

export const NV: u32 = 16; // invalid operation
export const DZ: u32 = 8; // divide by zero
export const OF: u32 = 4; // overflow
export const UF: u32 = 2; // underflow (tiny after rounding and inexact)
export const NX: u32 = 1; // inexact

export let fpFlags: u32 = 0;

// @ts-ignore: decorator
@inline export function raise(f: u32): void {
  fpFlags |= f;
}

// Rounding modes as encoded in the rm field / frm.
export const RNE: i32 = 0;
export const RTZ: i32 = 1;
export const RDN: i32 = 2;
export const RUP: i32 = 3;
export const RMM: i32 = 4;
