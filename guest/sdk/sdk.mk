# The build every guest program shares: flags, the SDK objects, the link,
# output directories, clean, and the reproducibility check. A Makefile sets
# SDK (path to this folder), PROGS, EXTRA_CFLAGS and a rule for
# $(BUILD)/<prog>.o, then includes this file.
CC      := riscv64-unknown-elf-gcc
CFLAGS  := -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -ffreestanding -nostartfiles \
           -fno-builtin-printf -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
           -fno-common -ffp-contract=off -Wall -Wextra -Werror -std=gnu11 -I$(SDK) $(EXTRA_CFLAGS)
LDFLAGS := -nostdlib -T $(SDK)/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments
LIBS    := -lgcc

BUILD   ?= build
BIN     ?= bin

SDK_SRC := $(wildcard $(SDK)/*.c) $(SDK)/crt0.S
SDK_OBJ := $(patsubst $(SDK)/%,$(BUILD)/sdk/%.o,$(SDK_SRC))
ELFS    := $(PROGS:%=$(BIN)/%.elf)

all: $(ELFS)

$(BUILD)/sdk/%.c.o: $(SDK)/%.c $(SDK)/*.h | $(BUILD)/sdk
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/sdk/%.S.o: $(SDK)/%.S | $(BUILD)/sdk
	$(CC) $(CFLAGS) -c $< -o $@

$(BIN)/%.elf: $(BUILD)/%.o $(SDK_OBJ) $(SDK)/link.ld | $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(SDK_OBJ) $(LIBS) -o $@

$(BUILD) $(BUILD)/sdk $(BIN):
	mkdir -p $@

clean:
	rm -rf $(BUILD)

# Rebuild everything into a scratch directory and compare with bin/.
check-repro:
	rm -rf $(BUILD)/repro
	$(MAKE) --no-print-directory BUILD=$(BUILD)/repro/obj BIN=$(BUILD)/repro/bin all
	for f in $(PROGS); do cmp $(BIN)/$$f.elf $(BUILD)/repro/bin/$$f.elf || exit 1; done
	@echo "reproducible: $(words $(PROGS)) programs identical"

.PHONY: all clean check-repro
.SECONDARY:
