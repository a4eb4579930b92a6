// Shared-memory layout of one node. Mirrors vcpu/src/layout.ts exactly;
// layout.test.ts checks that every constant here equals the TS one.

// ---- regions ----
export const NODE_CTRL: u32 = 0x0010_0000;
export const HART_BASE: u32 = 0x0020_0000;
export const HART_STRIDE: u32 = 0x0001_0000;
export const MAX_HARTS: u32 = 64;
export const GPA_TABLE: u32 = 0x0100_0000;
export const FRAMES: u32 = 0x0200_0000;
export const RAM_BASE: u64 = 0x8000_0000;
export const CTABLE: u32 = 0x0008_0000; // 64 Ki x u32 expansion of compressed instructions

// ---- node control (offsets from NODE_CTRL) ----
export const NC_EPOCH: u32 = 0x00; // i32, bumped by the host on every rights revocation
export const NC_RAM_SIZE: u32 = 0x08; // i64, bytes of guest RAM starting at RAM_BASE
export const NC_FRAME_COUNT: u32 = 0x10; // i32
export const NC_FLAGS: u32 = 0x14; // i32, NCF_* bits
export const NC_HART_COUNT: u32 = 0x18; // i32
export const NC_ALLOC: u32 = 0x100; // start of the area owned by the host frame allocator
export const NCF_SBI: u32 = 1; // S-mode ecall becomes an `sbi` exit

// ---- GPA page-table entry bits ----
export const PTE_R: u32 = 1;
export const PTE_W: u32 = 2;
export const PTE_LAZY: u32 = 4;
export const PTE_FRAME_SHIFT: u32 = 4;

// ---- hart state (offsets from the hart's base) ----
export const H_X: u32 = 0x000; // 32 x i64
export const H_F: u32 = 0x100; // 32 x i64 (raw bits, NaN-boxed singles)
export const H_PC: u32 = 0x200; // i64
export const H_INSTRET: u32 = 0x208; // i64
export const H_PRIV: u32 = 0x210; // i32 (0 U, 1 S, 3 M)
export const H_FCSR: u32 = 0x214; // i32 (frm << 5 | fflags)
export const H_CYCLE_DELTA: u32 = 0x218; // i64, mcycle - instret
// CSRs, i64 each
export const H_MSTATUS: u32 = 0x220;
export const H_MISA: u32 = 0x228;
export const H_MEDELEG: u32 = 0x230;
export const H_MIDELEG: u32 = 0x238;
export const H_MIE: u32 = 0x240;
export const H_MIP: u32 = 0x248; // software-written bits (SSIP, STIP, SEIP)
export const H_MTVEC: u32 = 0x250;
export const H_MCOUNTEREN: u32 = 0x258;
export const H_MSCRATCH: u32 = 0x260;
export const H_MEPC: u32 = 0x268;
export const H_MCAUSE: u32 = 0x270;
export const H_MTVAL: u32 = 0x278;
export const H_STVEC: u32 = 0x280;
export const H_SCOUNTEREN: u32 = 0x288;
export const H_SSCRATCH: u32 = 0x290;
export const H_SEPC: u32 = 0x298;
export const H_SCAUSE: u32 = 0x2a0;
export const H_STVAL: u32 = 0x2a8;
export const H_SATP: u32 = 0x2b0;
export const H_MENVCFG: u32 = 0x2b8;
export const H_SENVCFG: u32 = 0x2c0;
export const H_MCOUNTINHIBIT: u32 = 0x2c8;
export const H_PMPCFG: u32 = 0x2d0; // pmpcfg0, pmpcfg2
export const H_PMPADDR: u32 = 0x2e0; // 16 x i64
export const H_MINSTRET_DELTA: u32 = 0x360; // i64, minstret - instret (a guest write of minstret moves this; instret only counts)
export const H_STIMECMP: u32 = 0x368; // i64, Sstc
export const H_TSELECT: u32 = 0x370; // i32, Sdtrig: selected trigger
export const H_TDATA1: u32 = 0x378; // TRIGGERS x i64
export const H_TDATA2: u32 = 0x388; // TRIGGERS x i64
export const TRIGGERS: u32 = 2; // as QEMU 7.2
// host-shared control words
export const H_IN_GUEST: u32 = 0x400; // i32
export const H_ACK_EPOCH: u32 = 0x404; // i32
export const H_KICK: u32 = 0x408; // i32, host sets 1 -> run() returns yield
export const H_HOST_IRQ: u32 = 0x40c; // i32, mip bits driven by the host (MSIP, MTIP?, SEIP, MEIP)
export const H_STOP: u32 = 0x410; // i32, host sets 1 -> run() returns halt
export const H_HART_ID: u32 = 0x414; // i32
export const H_MTIMECMP: u32 = 0x418; // i64, written by the host CLINT model
export const H_RES_VALID: u32 = 0x420; // i32
export const H_RES_ADDR: u32 = 0x428; // i64 (guest virtual address)
export const H_RES_VALUE: u32 = 0x430; // i64
export const H_SEEN_EPOCH: u32 = 0x438; // i32, epoch the TLB was last validated against
export const H_STIMER_DEADLINE: u32 = 0x440; // i64, engine-written: the mtime at which Sstc raises STIP (stimecmp while menvcfg.STCE = 1, else all ones); bounds the host's WFI sleep
// exit record
export const H_EXIT_KIND: u32 = 0x480; // i32, EXIT_*
export const H_EXIT_ACCESS: u32 = 0x484; // i32, ACC_*
export const H_EXIT_GPA: u32 = 0x488; // i64
export const H_EXIT_SIZE: u32 = 0x490; // i32
export const H_EXIT_WRITE: u32 = 0x494; // i32
export const H_EXIT_VALUE: u32 = 0x498; // i64
export const H_EXIT_RD: u32 = 0x4a0; // i32, destination register of an MMIO read
export const H_EXIT_LDKIND: u32 = 0x4a4; // i32, LD_* how the MMIO read value lands in rd
export const H_EXIT_ILEN: u32 = 0x4a8; // i32, length of the exiting instruction
export const H_EXIT_PENDING: u32 = 0x4ac; // i32, 1 while an MMIO read awaits completeMmio, 2 after an MMIO write
export const H_EXIT_VA: u32 = 0x4b0; // i64, guest virtual address of the MMIO access (mtval if the host fails it)
// software TLB: three direct-mapped arrays of {tag i64, addend i64}
export const H_TLB_READ: u32 = 0x1000;
export const H_TLB_WRITE: u32 = 0x2000;
export const H_TLB_CODE: u32 = 0x3000;
export const TLB_ENTRIES: u32 = 256;
// decode cache: a directory of DC_PAGES host code pages (u32 page address, 0 = free)
export const H_DC_DIR: u32 = 0x6000;
export const DC_PAGES: u32 = 1024;
export const DC_PAGE_BYTES: u32 = 0x4040; // 2048 slots of 8 bytes (one per 2-byte offset), then 8 "refill" slots
export const DC_STRIDE: u32 = 0x143_0000; // per hart, after the frames (64 KiB aligned): DC_PAGES pages + the empty page, then the snapshots
export const DC_SNAP_OFF: u32 = 0x102_0000; // DC_PAGES x 4 KiB: the bytes each decode page's slots were decoded from
// translator bookkeeping, per decode page i (engine-internal, see docs/vcpu.md "Translator")
export const H_JIT_DIR: u32 = 0x7000; // DC_PAGES x u32: host page whose translation is installed for decode page i, 0 = none
export const H_JIT_HEAT: u32 = 0x8000; // DC_PAGES x u32: slices that ended in decode page i
export const H_JIT_BAN: u32 = 0x9000; // DC_PAGES x u32: host page whose translation a store dropped (not translated again)
export const H_JIT_REQ: u32 = 0x5000; // i32: 1 + decode page to translate, 0 = none
export const H_JIT_FAULT: u32 = 0x5004; // i32: set by the translated code's slow-path helpers
export const H_JIT_REQ_OFF: u32 = 0x5008; // i32: byte offset in the page where the requesting slice ended (the hot spot), -1 = none
export const H_JIT_CHAIN_PAGE: u32 = 0x5010; // u32: slot array of the decode page translated code chained into (0 = none), read by the interpreter after the call
export const H_JIT_CHAIN_FBASE: u32 = 0x5018; // u64: that page's guest virtual page address
export const H_JIT_CHAINS: u32 = 0x5020; // u64: page-to-page chains made by translated code (a counter)
export const H_DC_SUSPECT: u32 = 0xa000; // DC_PAGES x u8: 1 = check the page against its snapshot before use (after fence.i or an epoch change)
export const JIT_TABLE_BASE: u32 = 8; // table index of decode page 0's translated function

// ---- exit kinds ----
export const EXIT_NONE: i32 = 0;
export const EXIT_MMIO: i32 = 1;
export const EXIT_PAGE: i32 = 2;
export const EXIT_SBI: i32 = 3;
export const EXIT_WFI: i32 = 4;
export const EXIT_HALT: i32 = 5;
export const EXIT_YIELD: i32 = 6;
export const EXIT_JIT: i32 = 7; // internal: a page is hot; Vcpu.run translates it and resumes (never a VcpuExit)
export const EXIT_SPIN: i32 = 8; // a yield: the hart runs a spin-wait loop (PAUSE after PAUSE, interp.ts)

export const ACC_READ: i32 = 0;
export const ACC_WRITE: i32 = 1;
export const ACC_FETCH: i32 = 2;

// how an MMIO read value is written back
export const LD_SIGNED: i32 = 0;
export const LD_UNSIGNED: i32 = 1;
export const LD_F32: i32 = 2;
export const LD_F64: i32 = 3;
