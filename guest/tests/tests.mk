# Test guests: tests/<name>.c → $(BIN)/t-<name>.elf, linked with the SDK like
# the workloads. Included from guest/Makefile, so `make all` builds them too.
TEST_PROGS := $(sort $(basename $(notdir $(wildcard tests/*.c))))
TEST_ELFS  := $(TEST_PROGS:%=$(BIN)/t-%.elf)

all: $(TEST_ELFS)

$(BUILD)/tests/%.o: tests/%.c sdk/*.h tests/*.h workloads/common.h | $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests -Iworkloads -c $< -o $@

$(BIN)/t-%.elf: $(BUILD)/tests/%.o $(SDK_OBJ) sdk/link.ld | $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(SDK_OBJ) $(LIBS) -o $@

$(BUILD)/tests:
	mkdir -p $@
