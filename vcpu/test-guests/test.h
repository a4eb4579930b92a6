/* Shared macros for the vcpu ISA test guests. Exit through the sifive test
 * finisher: 0x5555 = pass, (n << 16) | 0x3333 = fail at check n. */
#define FINISHER 0x100000
#define UART 0x10000000

.macro CHECK n, reg, val
  li gp, \n
  li t6, \val
  bne \reg, t6, fail
.endm

.macro PASS_FAIL
pass:
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
fail:
  li t0, FINISHER
  slli gp, gp, 16
  li t1, 0x3333
  or gp, gp, t1
  sw gp, 0(t0)
1: j 1b
.endm

/* Trap plumbing: the M handler records mcause/mtval/mepc/MPP, then resumes
 * in M-mode at the address stored in `resume`. */
#define MPP_MASK (3 << 11)
#define MPP_S (1 << 11)

.macro SET_RESUME label
  la t0, \label
  la t1, resume
  sd t0, 0(t1)
.endm

.macro LOADV reg, sym
  la \reg, \sym
  ld \reg, 0(\reg)
.endm

/* mret into S-mode at label (satp/MPRV untouched) */
.macro ENTER_S label
  li t0, MPP_MASK
  csrc mstatus, t0
  li t0, MPP_S
  csrs mstatus, t0
  la t0, \label
  csrw mepc, t0
  mret
.endm

.macro M_HANDLER
.align 4
m_handler:
  csrr t0, mcause
  la t1, m_cause
  sd t0, 0(t1)
  csrr t0, mtval
  sd t0, 8(t1)
  csrr t0, mepc
  sd t0, 16(t1)
  csrr t0, mstatus
  srli t0, t0, 11
  andi t0, t0, 3
  sd t0, 24(t1)
  li t0, MPP_MASK
  csrs mstatus, t0          /* return to M */
  li t0, (1 << 17)
  csrc mstatus, t0          /* MPRV off */
  la t1, resume
  ld t0, 0(t1)
  csrw mepc, t0
  mret
.endm

.macro TRAP_DATA
.align 3
resume: .dword 0
m_cause: .dword 0
m_tval: .dword 0
m_epc: .dword 0
m_mpp: .dword 0
.endm
