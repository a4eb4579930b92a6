/* echo: reads the UART line by line and writes each line back as
 * "echo: <line>"; a line "quit" ends the program with exit 0. Lines end at
 * CR or LF (CR LF counts once); longer than 255 bytes are split. */
#include "unum.h"

int main(void) {
  args_done();
  printf("echo: ready\n");
  char line[256];
  size_t n = 0;
  bool last_cr = false;
  for (;;) {
    int c = uart_getc();
    bool eol = c == '\r' || c == '\n';
    if (c == '\n' && last_cr) { last_cr = false; continue; }
    last_cr = c == '\r';
    if (!eol) line[n++] = (char)c;
    if (eol || n == sizeof line - 1) {
      line[n] = 0;
      if (strcmp(line, "quit") == 0) { printf("echo: bye\n"); return 0; }
      printf("echo: %s\n", line);
      n = 0;
    }
  }
}
