/* A bare-metal virtio-mmio driver for the virtio tests: the last hart
 * (on another node with --nodes 2) drives virtio-rng and, if present,
 * virtio-blk. It checks a good request, then three malformed chains (a
 * loop, an out-of-RAM buffer, a chain naming more than 64 MiB): each must
 * leave the device asking for a reset (DEVICE_NEEDS_RESET) without the
 * host failing, and the device must work again after a reset. The blk part
 * writes a sector, flushes and reads it back. Prints one line per check. */
#include "rt.h"

#define MMIO(base, off) (*(volatile uint32_t *)((base) + (off)))
enum { MAGIC = 0, VERSION = 4, DEVICE_ID = 8, DEV_FEAT = 0x10, DEV_FEAT_SEL = 0x14, DRV_FEAT = 0x20, DRV_FEAT_SEL = 0x24,
       QSEL = 0x30, QNUM_MAX = 0x34, QNUM = 0x38, QREADY = 0x44, QNOTIFY = 0x50, ISR = 0x60, IACK = 0x64, STATUS = 0x70,
       QDESC = 0x80, QDRIVER = 0x90, QDEVICE = 0xa0, CONFIG = 0x100 };
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_NEEDS_RESET = 64 };
enum { F_NEXT = 1, F_WRITE = 2 };
#define QSIZE 8

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct ring { struct desc desc[QSIZE]; uint16_t avail_flags, avail_idx, avail[QSIZE], used_event;
              uint8_t pad[4096 - 16 * QSIZE - 6 - 2 * QSIZE];
              uint16_t used_flags, used_idx; struct { uint32_t id, len; } used[QSIZE]; } __attribute__((aligned(4096)));
static struct ring rq, bq;
static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t sector[512], back[512];
static struct { uint32_t type, reserved; uint64_t sector; } hdr;
static volatile uint8_t status_byte;

uintptr_t trap_handler(uintptr_t cause, uintptr_t epc) { (void)epc; puts_("trap "); putu(cause); puts_("\n"); finish(3); }

static uintptr_t find(uint32_t id) {
  for (uintptr_t b = 0x10001000; b <= 0x10008000; b += 0x1000)
    if (MMIO(b, MAGIC) == 0x74726976 && MMIO(b, VERSION) == 2 && MMIO(b, DEVICE_ID) == id) return b;
  return 0;
}

static int setup(uintptr_t b, struct ring *q) {
  MMIO(b, STATUS) = 0;
  MMIO(b, STATUS) = S_ACK | S_DRIVER;
  MMIO(b, DEV_FEAT_SEL) = 1;
  uint32_t hi = MMIO(b, DEV_FEAT);
  MMIO(b, DRV_FEAT_SEL) = 1; MMIO(b, DRV_FEAT) = hi & 1; /* VIRTIO_F_VERSION_1 only */
  MMIO(b, DRV_FEAT_SEL) = 0; MMIO(b, DRV_FEAT) = 0;
  MMIO(b, STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK;
  if (!(MMIO(b, STATUS) & S_FEATURES_OK)) return 0;
  for (unsigned i = 0; i < sizeof *q; i++) ((volatile uint8_t *)q)[i] = 0;
  MMIO(b, QSEL) = 0;
  if (MMIO(b, QNUM_MAX) < QSIZE) return 0;
  MMIO(b, QNUM) = QSIZE;
  uintptr_t d = (uintptr_t)q->desc, a = (uintptr_t)&q->avail_flags, u = (uintptr_t)&q->used_flags;
  MMIO(b, QDESC) = (uint32_t)d; MMIO(b, QDESC + 4) = (uint32_t)(d >> 32);
  MMIO(b, QDRIVER) = (uint32_t)a; MMIO(b, QDRIVER + 4) = (uint32_t)(a >> 32);
  MMIO(b, QDEVICE) = (uint32_t)u; MMIO(b, QDEVICE + 4) = (uint32_t)(u >> 32);
  MMIO(b, QREADY) = 1;
  MMIO(b, STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
  return 1;
}

/* Make chain `head` available and wait (bounded, ~10 s of mtime) for it to be used or for NEEDS_RESET. */
static int submit(uintptr_t b, struct ring *q, uint16_t head) {
  uint16_t before = q->used_idx;
  q->avail[q->avail_idx % QSIZE] = head;
  __asm__ volatile("fence rw, rw" ::: "memory");
  q->avail_idx++;
  __asm__ volatile("fence rw, rw" ::: "memory");
  MMIO(b, QNOTIFY) = 0;
  uint64_t deadline = *CLINT_MTIME + 100000000ULL;
  for (;;) {
    if (*(volatile uint16_t *)&q->used_idx != before) return 1;
    if (MMIO(b, STATUS) & S_NEEDS_RESET) return 0;
    if (*CLINT_MTIME > deadline) return -1;
  }
}

static void line(const char *what, uint64_t v) { puts_(what); putu(v); puts_("\n"); }

static void rng_checks(uintptr_t b) {
  line("rng setup ", setup(b, &rq));
  rq.desc[0] = (struct desc){ (uintptr_t)buf, 32, F_WRITE, 0 };
  int r = submit(b, &rq, 0);
  int nonzero = 0;
  for (int i = 0; i < 32; i++) nonzero |= buf[i];
  line("rng good request used ", r == 1 && rq.used[0].len == 32 && nonzero);
  uint32_t isr = MMIO(b, ISR);
  MMIO(b, IACK) = isr;
  line("rng interrupt status ", isr & 1);
  static const struct { const char *name; struct desc d0, d1; } bad[] = {
    { "loop", { 0, 8, F_WRITE | F_NEXT, 1 }, { 0, 8, F_WRITE | F_NEXT, 0 } },
    { "out-of-RAM", { 0x100000000ULL, 64, F_WRITE, 0 }, { 0, 0, 0, 0 } },
    { "too long", { 0, 0x7fffffff, F_WRITE, 0 }, { 0, 0, 0, 0 } },
  };
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    setup(b, &rq);
    rq.desc[0] = bad[i].d0; rq.desc[1] = bad[i].d1;
    if (!rq.desc[0].addr) rq.desc[0].addr = (uintptr_t)buf;
    if (!rq.desc[1].addr) rq.desc[1].addr = (uintptr_t)buf;
    int s = submit(b, &rq, 0);
    puts_("rng "); puts_(bad[i].name); line(" chain: needs reset ", s == 0 && (MMIO(b, STATUS) & S_NEEDS_RESET) != 0);
  }
  setup(b, &rq);
  rq.desc[0] = (struct desc){ (uintptr_t)buf, 16, F_WRITE, 0 };
  line("rng after reset used ", submit(b, &rq, 0) == 1 && rq.used[0].len == 16);
}

static int blk_request(uintptr_t b, uint32_t type, uint64_t sec, uint8_t *data, int write) {
  hdr.type = type; hdr.reserved = 0; hdr.sector = sec;
  status_byte = 0xff;
  bq.desc[0] = (struct desc){ (uintptr_t)&hdr, 16, F_NEXT, 1 };
  uint16_t next = 1;
  if (data) { bq.desc[1] = (struct desc){ (uintptr_t)data, 512, (uint16_t)(F_NEXT | (write ? 0 : F_WRITE)), 2 }; next = 2; }
  else bq.desc[0].next = 2;
  bq.desc[2] = (struct desc){ (uintptr_t)&status_byte, 1, F_WRITE, 0 };
  (void)next;
  if (submit(b, &bq, 0) != 1) return -1;
  return status_byte;
}

static void blk_checks(uintptr_t b) {
  line("blk setup ", setup(b, &bq));
  line("blk capacity sectors ", *(volatile uint64_t *)(b + CONFIG));
  for (int i = 0; i < 512; i++) sector[i] = (uint8_t)(i * 7 + 3);
  line("blk write status ", blk_request(b, 1, 1, sector, 1));
  line("blk flush status ", blk_request(b, 4, 0, 0, 0));
  line("blk read status ", blk_request(b, 0, 1, back, 0));
  int same = 1;
  for (int i = 0; i < 512; i++) same &= back[i] == sector[i];
  line("blk read back equal ", same);
  line("blk past the end status ", blk_request(b, 0, *(volatile uint64_t *)(b + CONFIG), back, 0));
}

int main(uintptr_t hartid, const void *fdt) {
  if (hartid != (uintptr_t)fdt_cpu_count(fdt) - 1) for (;;) __asm__ volatile("wfi");
  uintptr_t rng = find(4), blk = find(2);
  line("virtio rng found ", rng != 0);
  if (rng) rng_checks(rng);
  if (blk) blk_checks(blk);
  return 0;
}
