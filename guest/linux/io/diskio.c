/* diskio: 4 KiB block I/O throughput and IOPS on a file or a block device
 * (the io benchmark, bench/src/io). One pattern per run:
 *   diskio file=/dev/vda mode=seqread|seqwrite|randread|randwrite size=16M bs=4096 ops=N seed=1 cpu=C
 * size= is the region used from offset 0; ops= the number of bs-sized
 * requests (default size/bs); rand* visits blocks in a coprime-stride order
 * (every block at most once per pass). O_DIRECT when the file takes it
 * (direct=1 in the RESULT line), else buffered I/O with fsync (writes) and
 * the page cache dropped before reads (direct=0). Writes fill each block
 * with a pattern from (seed, block); reads with check=1 verify it, so a read
 * after a write shows the data survived the device (verify=fail otherwise).
 * cpu= pins the process to that CPU (the hart issuing the I/O).
 * checksum is over the data read or written, so the same image gives the
 * same checksum under QEMU and unum. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../workloads/common.h"

enum { SEQREAD, SEQWRITE, RANDREAD, RANDWRITE };
static const char *const modes[] = {"seqread", "seqwrite", "randread", "randwrite"};

static void fill(uint64_t *b, size_t words, uint64_t seed, uint64_t block) {
  for (size_t i = 0; i < words; i++) b[i] = mix64(seed ^ (block << 20) ^ i);
}

static uint64_t hash(const uint64_t *b, size_t words, uint64_t block) {
  uint64_t h = 0;
  for (size_t i = 0; i < words; i++) h += mix64(b[i] ^ (block * 0x100000001b3ULL) ^ i);
  return h;
}

static void drop_caches(void) {
  int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
  if (fd < 0) return;
  if (write(fd, "3\n", 2) < 0) { /* not root: the numbers are cached ones, direct=0 says so */ }
  close(fd);
}

int main(void) {
  const char *path = arg_str("file", "/dev/vda");
  const char *mode_s = arg_str("mode", "seqread");
  uint64_t size = arg_u64("size", 16ULL << 20);
  uint64_t bs = arg_u64("bs", 4096);
  uint64_t seed = arg_u64("seed", 1);
  uint64_t check = arg_u64("check", 0);
  uint64_t cpu = arg_u64("cpu", UINT64_MAX);
  int mode = -1;
  for (int m = 0; m < 4; m++) if (strcmp(mode_s, modes[m]) == 0) mode = m;
  if (mode < 0) fail(EXIT_BADARG, "argument mode=%s: seqread, seqwrite, randread or randwrite", mode_s);
  if (bs < 512 || bs > (1 << 20) || bs % 512) fail(EXIT_BADARG, "argument bs=%lu: a multiple of 512 up to 1M", (unsigned long)bs);
  if (size < bs || size % bs) fail(EXIT_BADARG, "argument size=%lu: a multiple of bs=%lu", (unsigned long)size, (unsigned long)bs);
  uint64_t blocks = size / bs;
  uint64_t ops = arg_u64("ops", blocks);
  if (ops < 1) fail(EXIT_BADARG, "argument ops=0: at least 1");
  args_done();
  pin_cpu_arg(cpu);

  bool writing = mode == SEQWRITE || mode == RANDWRITE;
  int flags = writing ? O_RDWR : O_RDONLY;
  int fd = open(path, flags | O_DIRECT);
  bool direct = fd >= 0;
  if (!direct) fd = open(path, flags);
  if (fd < 0) fail(EXIT_BADARG, "argument file=%s: %s", path, strerror(errno));
  if (!direct && !writing) drop_caches();
  uint64_t *buf;
  if (posix_memalign((void **)&buf, 4096, bs) != 0) fail(EXIT_NOMEM, "no memory for a %lu-byte buffer", (unsigned long)bs);
  size_t words = bs / 8;
  uint64_t stride = coprime_stride(blocks);
  uint64_t sum = 0, bad = 0;

  span_t t = {0};
  span_begin(&t);
  for (uint64_t k = 0; k < ops; k++) {
    uint64_t block = mode == SEQREAD || mode == SEQWRITE ? k % blocks : mulmod(k, stride, blocks);
    off_t off = (off_t)(block * bs);
    ssize_t n;
    if (writing) {
      fill(buf, words, seed, block);
      n = pwrite(fd, buf, bs, off);
    } else {
      n = pread(fd, buf, bs, off);
    }
    if (n != (ssize_t)bs) fail(EXIT_WRONG, "%s of block %lu: %s", writing ? "write" : "read", (unsigned long)block, n < 0 ? strerror(errno) : "short");
    if (!writing && check) {
      uint64_t want[1];
      fill(want, 1, seed, block);
      bad += buf[0] != want[0] || buf[words - 1] != mix64(seed ^ (block << 20) ^ (words - 1));
    }
    sum += hash(buf, words, block);
  }
  if (writing && fsync(fd) != 0) fail(EXIT_WRONG, "fsync: %s", strerror(errno));
  span_end(&t);
  close(fd);

  double secs = (double)t.ticks / 1e9;
  double mbps = (double)(ops * bs) / secs / 1e6;
  result_line("diskio", bad == 0,
              "harts=1 mode=%s bs=%lu ops=%lu direct=%d mbps=%.2f iops=%.0f bad=%lu checksum=0x%016lx ticks=%lu instret=%lu",
              modes[mode], (unsigned long)bs, (unsigned long)ops, direct, mbps, (double)ops / secs, (unsigned long)bad,
              (unsigned long)sum, (unsigned long)t.ticks, (unsigned long)t.instret);
  return bad ? EXIT_WRONG : EXIT_OK;
}
