/* Process entry: argv[1..] joined with spaces is the program's bootargs, so
 * `matmul n=64 iters=2` reads like QEMU's -append "n=64 iters=2". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unum.h"
#undef main

static char args[1024];

const char *bootargs(void) { return args; }

int main(int argc, char **argv) {
  size_t len = 0;
  for (int i = 1; i < argc; i++) {
    size_t n = strlen(argv[i]);
    if (len + n + 2 > sizeof args) fail(EXIT_BADARG, "arguments longer than %u bytes", (unsigned)sizeof args - 1);
    if (i > 1) args[len++] = ' ';
    memcpy(args + len, argv[i], n + 1);
    len += n;
  }
  sdk_exit(unum_main());
}
