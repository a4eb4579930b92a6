# Sv39: gigapage + 4 KiB walks, hardware A/D updates, permission faults,
# SUM/MXR, fetch page fault, non-canonical address. Data accesses use MPRV
# with MPP = S; the fetch test runs in real S-mode.
#include "test.h"
#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define VA 0x40000000

/* store a PTE for physical \sym with \flags at \tbl[\idx] */
.macro MKPTE tbl, idx, sym, flags
  la t0, \sym
  srli t0, t0, 12
  slli t0, t0, 10
  ori t0, t0, \flags
  la t1, \tbl
  sd t0, (\idx * 8)(t1)
.endm

.macro MPRV_S
  li t0, MPP_MASK
  csrc mstatus, t0
  li t0, MPP_S | (1 << 17)
  csrs mstatus, t0
.endm

.section .text.init
.globl _start
_start:
  la t0, m_handler
  csrw mtvec, t0
  li t0, -1; csrw pmpaddr0, t0
  li t0, 0x1f; csrw pmpcfg0, t0
  # gigapage 2: VA 0x80000000 -> PA 0x80000000, RWX A D
  li t0, (0x80000 << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  la t1, pt_root; sd t0, 16(t1)
  MKPTE pt_root, 1, pt_l1, PTE_V
  MKPTE pt_l1, 0, pt_l0, PTE_V
  MKPTE pt_l0, 0, data_a, PTE_V | PTE_R | PTE_W
  MKPTE pt_l0, 1, data_b, PTE_V | PTE_R | PTE_A | PTE_D
  MKPTE pt_l0, 2, data_c, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  MKPTE pt_l0, 3, data_d, PTE_V | PTE_X | PTE_A
  MKPTE pt_l0, 5, data_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la t0, pt_root
  srli t0, t0, 12
  li t1, 8 << 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
  li s1, VA
  li s3, VA + 0x1000
  li s4, VA + 0x2000
  li s5, VA + 0x3000
  li s6, VA + 0x4000
  # 1: load sets A only
  SET_RESUME fail1
  MPRV_S
  ld a0, 0(s1)
  li t0, 1 << 17; csrc mstatus, t0
  CHECK 1, a0, 0x1111
  LOADV a0, pt_l0; andi a0, a0, PTE_A | PTE_D; CHECK 2, a0, PTE_A
  # 2: store sets D and lands in the frame
  MPRV_S
  li a1, 0x2222
  sd a1, 0(s1)
  li t0, 1 << 17; csrc mstatus, t0
  LOADV a0, pt_l0; andi a0, a0, PTE_A | PTE_D; CHECK 3, a0, PTE_A | PTE_D
  LOADV a0, data_a; CHECK 4, a0, 0x2222
  # 3: store to read-only page -> store page fault
  SET_RESUME 1f
  MPRV_S
  sd a1, 0(s3)
  j fail
1: LOADV a0, m_cause; CHECK 5, a0, 15
  LOADV a0, m_tval; li t0, VA + 0x1000; bne a0, t0, fail
  # 4: U page from S: SUM=0 faults, SUM=1 works
  SET_RESUME 1f
  MPRV_S
  ld a0, 0(s4)
  j fail
1: LOADV a0, m_cause; CHECK 6, a0, 13
  SET_RESUME fail
  li t0, 1 << 18; csrs mstatus, t0
  MPRV_S
  ld a0, 0(s4)
  li t0, (1 << 17) | (1 << 18); csrc mstatus, t0
  CHECK 7, a0, 0x3333
  # 5: execute-only page: MXR=0 faults, MXR=1 reads
  SET_RESUME 1f
  MPRV_S
  ld a0, 0(s5)
  j fail
1: LOADV a0, m_cause; CHECK 8, a0, 13
  li t0, 1 << 19; csrs mstatus, t0
  MPRV_S
  ld a0, 0(s5)
  li t0, (1 << 17) | (1 << 19); csrc mstatus, t0
  CHECK 9, a0, 0x4444
  # 6: invalid PTE
  SET_RESUME 1f
  MPRV_S
  ld a0, 0(s6)
  j fail
1: LOADV a0, m_cause; CHECK 10, a0, 13
  # 7: non-canonical address
  SET_RESUME 1f
  li s2, 0x0000008000000000
  MPRV_S
  ld a0, 0(s2)
  j fail
1: LOADV a0, m_cause; CHECK 11, a0, 13
  # 8: S-mode runs translated code and ecalls (cause 9)
  SET_RESUME 1f
  ENTER_S 2f
2: ld a0, 0(s1)
  la t0, s_seen; sd a0, 0(t0)
  ecall
1: LOADV a0, m_cause; CHECK 12, a0, 9
  LOADV a0, s_seen; CHECK 13, a0, 0x2222
  # 9: fetch from a non-executable page -> instruction page fault
  SET_RESUME 1f
  li t0, MPP_MASK; csrc mstatus, t0
  li t0, MPP_S; csrs mstatus, t0
  li t0, VA + 0x5000
  csrw mepc, t0
  mret
1: LOADV a0, m_cause; CHECK 14, a0, 12
  LOADV a0, m_tval; li t0, VA + 0x5000; bne a0, t0, fail
  # 10: satp back to bare
  csrw satp, zero
  sfence.vma
  j pass
fail1: li gp, 1; j fail
  M_HANDLER
  PASS_FAIL

.data
  TRAP_DATA
s_seen: .dword 0
.align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
data_a: .dword 0x1111
.align 12
data_b: .dword 0x5555
.align 12
data_c: .dword 0x3333
.align 12
data_d: .dword 0x4444
.align 12
