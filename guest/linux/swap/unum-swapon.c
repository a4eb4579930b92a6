// unum-swapon DEV: mkswap + swapon for the memory-cliff experiment's Linux
// swap configuration (docs/memory-cliff.md). The guest's busybox has neither
// applet and the committed initramfs is not rebuilt for one tool, so the
// experiment appends this program to the initrd as a second cpio archive.
// Writes a version-1 swap header (the layout of util-linux mkswap) over the
// whole device, then swapon(2). Exit 1 with one line on any failure.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

#define PAGE 4096

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: unum-swapon DEV\n"); return 2; }
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) { perror(argv[1]); return 1; }
  off_t bytes = lseek(fd, 0, SEEK_END);
  if (bytes < 2 * PAGE) { fprintf(stderr, "%s: too small for swap\n", argv[1]); return 1; }
  static unsigned char page[PAGE];
  uint32_t version = 1, last_page = (uint32_t)(bytes / PAGE - 1), bad = 0;
  memcpy(page + 1024, &version, 4);     // struct swap_header_v1_2 starts at 1024 (after the boot block)
  memcpy(page + 1028, &last_page, 4);
  memcpy(page + 1032, &bad, 4);
  memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
  if (pwrite(fd, page, PAGE, 0) != PAGE || fsync(fd) != 0) { perror("write swap header"); return 1; }
  close(fd);
  if (swapon(argv[1], 0) != 0) { perror("swapon"); return 1; }
  printf("unum-swapon: %s: %ld KiB of swap\n", argv[1], (long)(last_page * (PAGE / 1024)));
  return 0;
}
