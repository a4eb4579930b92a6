# F/D: loads/stores, arithmetic through the FPU module, NaN-boxing, fcsr,
# rounding-mode field, conversions, moves, compares, classify, fused ops.
#include "test.h"
.section .text.init
.globl _start
_start:
  la t0, m_handler
  csrw mtvec, t0
  li t0, (1 << 13); csrs mstatus, t0       # FS = Initial
  la s0, consts
  fld f1, 0(s0)            # 1.5
  fld f2, 8(s0)            # 2.25
  fadd.d f3, f1, f2
  fsd f3, 16(s0)
  ld a0, 16(s0);  CHECK 1, a0, 0x400e000000000000      # 3.75
  csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3; CHECK 2, a0, 3   # Dirty
  csrr a0, mstatus; srli a0, a0, 63; CHECK 3, a0, 1                   # SD
  fmul.d f4, f1, f2; fmv.x.d a0, f4; CHECK 4, a0, 0x400b000000000000   # 3.375
  fdiv.d f4, f2, f1; fmv.x.d a0, f4; CHECK 5, a0, 0x3ff8000000000000   # 1.5
  fsqrt.d f4, f2; fmv.x.d a0, f4; CHECK 6, a0, 0x3ff8000000000000
  fsub.d f4, f1, f2; fmv.x.d a0, f4; CHECK 7, a0, 0xbfe8000000000000   # -0.75
  fmadd.d f4, f1, f2, f1; fmv.x.d a0, f4; CHECK 8, a0, 0x4013800000000000  # 4.875
  fnmsub.d f4, f1, f2, f1; fmv.x.d a0, f4; CHECK 9, a0, 0xbffe000000000000 # -3.375+1.5
  # single precision and NaN boxing
  li a1, 0x40400000         # 3.0f
  fmv.w.x f5, a1
  fmv.x.d a0, f5; CHECK 10, a0, 0xffffffff40400000
  fadd.s f6, f5, f5; fmv.x.w a0, f6; CHECK 11, a0, 0x40c00000
  fmv.d.x f7, a1            # not NaN-boxed: reads as canonical NaN
  fadd.s f6, f7, f5; fmv.x.w a0, f6; CHECK 12, a0, 0x7fc00000
  flw f8, 24(s0)            # 0.5f
  fmv.x.d a0, f8; CHECK 13, a0, 0xffffffff3f000000
  fsw f5, 28(s0)
  lw a0, 28(s0); CHECK 14, a0, 0x40400000
  fcvt.d.s f9, f5; fmv.x.d a0, f9; CHECK 15, a0, 0x4008000000000000
  fcvt.s.d f9, f1; fmv.x.w a0, f9; CHECK 16, a0, 0x3fc00000
  # sign injection
  fsgnjn.d f9, f1, f1; fmv.x.d a0, f9; CHECK 17, a0, 0xbff8000000000000
  fsgnjx.s f9, f5, f5; fmv.x.w a0, f9; CHECK 18, a0, 0x40400000
  # conversions and rounding modes
  fcvt.w.d a0, f1, rtz; CHECK 19, a0, 1
  fcvt.w.d a0, f1, rne; CHECK 20, a0, 2
  fcvt.w.d a0, f1, rdn; CHECK 21, a0, 1
  li a1, -7
  fcvt.d.l f9, a1; fmv.x.d a0, f9; CHECK 22, a0, 0xc01c000000000000
  fcvt.s.wu f9, a1; fmv.x.w a0, f9; CHECK 23, a0, 0x4f800000
  fcvt.lu.s a0, f9; CHECK 24, a0, 0x100000000
  # compares and classify
  flt.d a0, f1, f2; CHECK 25, a0, 1
  fle.d a0, f2, f1; CHECK 26, a0, 0
  feq.s a0, f5, f5; CHECK 27, a0, 1
  fclass.d a0, f1; CHECK 28, a0, 0x40
  fclass.s a0, f7; CHECK 29, a0, 0x200
  fmin.d f9, f1, f2; fmv.x.d a0, f9; CHECK 30, a0, 0x3ff8000000000000
  fmax.s f9, f5, f8; fmv.x.w a0, f9; CHECK 31, a0, 0x40400000
  # fflags accrue; frm drives dyn rounding
  csrw fflags, zero
  li a1, 0x3ff0000000000000; fmv.d.x f10, a1
  li a1, 3; fcvt.d.l f11, a1
  fdiv.d f12, f10, f11
  csrr a0, fflags; CHECK 32, a0, 1          # NX
  fdiv.d f12, f10, f0                        # f0 = +0 (never written)
  csrr a0, fflags; CHECK 33, a0, 9          # NX|DZ
  csrwi frm, 1                               # RTZ
  fcvt.w.d a0, f1; CHECK 34, a0, 1          # dyn -> RTZ
  csrr a0, fcsr; CHECK 35, a0, 0x29
  # reserved rm (5) with dyn frm invalid -> illegal
  SET_RESUME 1f
  .4byte 0x0220d1d3                          # fadd.d f3, f1, f2, rm=5
1: LOADV a0, m_cause; CHECK 36, a0, 2
  csrwi frm, 7
  SET_RESUME 1f
  fadd.d f3, f1, f2                          # dyn with frm=7 -> illegal
1: LOADV a0, m_cause; CHECK 37, a0, 2
  csrwi frm, 0
  j pass
  M_HANDLER
  PASS_FAIL
.data
  TRAP_DATA
.align 3
consts: .double 1.5, 2.25
  .dword 0
  .float 0.5
  .float 0
