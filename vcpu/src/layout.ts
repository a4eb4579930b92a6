/**
 * Shared-memory layout of one node (docs/architecture.md, docs/vcpu.md).
 * Mirrors vcpu/assembly/layout.ts constant for constant; layout.test.ts
 * checks the two agree.
 */

// ---- regions ----
export const NODE_CTRL = 0x0010_0000;
export const HART_BASE = 0x0020_0000;
export const HART_STRIDE = 0x0001_0000;
export const MAX_HARTS = 64;
export const GPA_TABLE = 0x0100_0000;
export const FRAMES = 0x0200_0000;
export const RAM_BASE = 0x8000_0000;
export const CTABLE = 0x0008_0000; // 64 Ki x u32 expansion of compressed instructions

// ---- node control (offsets from NODE_CTRL) ----
export const NC_EPOCH = 0x00; // i32, bumped by the host on every rights revocation
export const NC_RAM_SIZE = 0x08; // i64, bytes of guest RAM starting at RAM_BASE
export const NC_FRAME_COUNT = 0x10; // i32
export const NC_FLAGS = 0x14; // i32, NCF_* bits
export const NC_HART_COUNT = 0x18; // i32
export const NC_ALLOC = 0x100; // start of the area owned by the host frame allocator
export const NCF_SBI = 1; // S-mode ecall becomes an `sbi` exit

// ---- GPA page-table entry bits ----
export const PTE_R = 1;
export const PTE_W = 2;
export const PTE_LAZY = 4;
export const PTE_FRAME_SHIFT = 4;

// ---- hart state (offsets from the hart's base) ----
export const H_X = 0x000; // 32 x i64
export const H_F = 0x100; // 32 x i64 (raw bits, NaN-boxed singles)
export const H_PC = 0x200; // i64
export const H_INSTRET = 0x208; // i64
export const H_PRIV = 0x210; // i32 (0 U, 1 S, 3 M)
export const H_FCSR = 0x214; // i32 (frm << 5 | fflags)
export const H_CYCLE_DELTA = 0x218; // i64, mcycle - instret
// CSRs, i64 each
export const H_MSTATUS = 0x220;
export const H_MISA = 0x228;
export const H_MEDELEG = 0x230;
export const H_MIDELEG = 0x238;
export const H_MIE = 0x240;
export const H_MIP = 0x248; // software-written bits (SSIP, STIP, SEIP)
export const H_MTVEC = 0x250;
export const H_MCOUNTEREN = 0x258;
export const H_MSCRATCH = 0x260;
export const H_MEPC = 0x268;
export const H_MCAUSE = 0x270;
export const H_MTVAL = 0x278;
export const H_STVEC = 0x280;
export const H_SCOUNTEREN = 0x288;
export const H_SSCRATCH = 0x290;
export const H_SEPC = 0x298;
export const H_SCAUSE = 0x2a0;
export const H_STVAL = 0x2a8;
export const H_SATP = 0x2b0;
export const H_MENVCFG = 0x2b8;
export const H_SENVCFG = 0x2c0;
export const H_MCOUNTINHIBIT = 0x2c8;
export const H_PMPCFG = 0x2d0; // pmpcfg0, pmpcfg2
export const H_PMPADDR = 0x2e0; // 16 x i64
export const H_MINSTRET_DELTA = 0x360; // i64, minstret - instret (a guest write of minstret moves this; instret only counts)
export const H_STIMECMP = 0x368; // i64, Sstc
export const H_TSELECT = 0x370; // i32, Sdtrig: selected trigger
export const H_TDATA1 = 0x378; // TRIGGERS x i64
export const H_TDATA2 = 0x388; // TRIGGERS x i64
export const TRIGGERS = 2; // as QEMU 7.2
// host-shared control words
export const H_IN_GUEST = 0x400; // i32
export const H_ACK_EPOCH = 0x404; // i32
export const H_KICK = 0x408; // i32, host sets 1 -> run() returns yield
export const H_HOST_IRQ = 0x40c; // i32, mip bits driven by the host (MSIP, MTIP?, SEIP, MEIP)
export const H_STOP = 0x410; // i32, host sets 1 -> run() returns halt
export const H_HART_ID = 0x414; // i32
export const H_MTIMECMP = 0x418; // i64, written by the host CLINT model
export const H_RES_VALID = 0x420; // i32
export const H_RES_ADDR = 0x428; // i64 (guest virtual address)
export const H_RES_VALUE = 0x430; // i64
export const H_SEEN_EPOCH = 0x438; // i32, epoch the TLB was last validated against
export const H_STIMER_DEADLINE = 0x440; // i64, engine-written: the mtime at which Sstc raises STIP (stimecmp while menvcfg.STCE = 1, else all ones); bounds the host's WFI sleep
// exit record
export const H_EXIT_KIND = 0x480; // i32, EXIT_*
export const H_EXIT_ACCESS = 0x484; // i32, ACC_*
export const H_EXIT_GPA = 0x488; // i64
export const H_EXIT_SIZE = 0x490; // i32
export const H_EXIT_WRITE = 0x494; // i32
export const H_EXIT_VALUE = 0x498; // i64
export const H_EXIT_RD = 0x4a0; // i32, destination register of an MMIO read
export const H_EXIT_LDKIND = 0x4a4; // i32, LD_* how the MMIO read value lands in rd
export const H_EXIT_ILEN = 0x4a8; // i32, length of the exiting instruction
export const H_EXIT_PENDING = 0x4ac; // i32, 1 while an MMIO read awaits completeMmio, 2 after an MMIO write
export const H_EXIT_VA = 0x4b0; // i64, guest virtual address of the MMIO access (mtval if the host fails it)
// software TLB: three direct-mapped arrays of {tag i64, addend i64}
export const H_TLB_READ = 0x1000;
export const H_TLB_WRITE = 0x2000;
export const H_TLB_CODE = 0x3000;
export const TLB_ENTRIES = 256;
// decode cache: a directory of DC_PAGES host code pages (u32 page address, 0 = free)
export const H_DC_DIR = 0x6000;
export const DC_PAGES = 1024;
export const DC_PAGE_BYTES = 0x4040; // 2048 slots of 8 bytes (one per 2-byte offset), then 8 "refill" slots
export const DC_STRIDE = 0x143_0000; // per hart, after the frames (64 KiB aligned): DC_PAGES pages + the empty page, then the snapshots
export const DC_SNAP_OFF = 0x102_0000; // DC_PAGES x 4 KiB: the bytes each decode page's slots were decoded from
// translator bookkeeping (engine-internal)
export const H_JIT_DIR = 0x7000;
export const H_JIT_HEAT = 0x8000;
export const H_JIT_BAN = 0x9000;
export const H_JIT_REQ = 0x5000;
export const H_JIT_FAULT = 0x5004;
export const H_JIT_REQ_OFF = 0x5008;
export const H_JIT_CHAIN_PAGE = 0x5010;
export const H_JIT_CHAIN_FBASE = 0x5018;
export const H_JIT_CHAINS = 0x5020;
export const H_DC_SUSPECT = 0xa000;
export const JIT_TABLE_BASE = 8;

// ---- exit kinds ----
export const EXIT_NONE = 0;
export const EXIT_MMIO = 1;
export const EXIT_PAGE = 2;
export const EXIT_SBI = 3;
export const EXIT_WFI = 4;
export const EXIT_HALT = 5;
export const EXIT_YIELD = 6;
export const EXIT_JIT = 7; // internal: never surfaced as a VcpuExit
export const EXIT_SPIN = 8;

export const ACC_READ = 0;
export const ACC_WRITE = 1;
export const ACC_FETCH = 2;

// how an MMIO read value is written back
export const LD_SIGNED = 0;
export const LD_UNSIGNED = 1;
export const LD_F32 = 2;
export const LD_F64 = 3;
