# vmsa - GNU make build. Everything is built out of tree in build/.
#
#   make                 build/libvmsa.a, build/libvmsa.so, build/vmsa
#   make check           all tests, plain and with ASan+UBSan
#   make bench           the benchmarks under bench/ (JSON on stdout)
#   make bench-linux     bench/pgtable side by side with Linux's kvm_pgtable
#   make fuzz            libFuzzer on the litmus front end, FUZZ_SECONDS
#                        (default 60); findings in build/fuzz/
#   make aarch64         the page-table library for AArch64, freestanding:
#                        build/aarch64/libvmsa-pgtable.o (and .a)
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make clean

VERSION := 0.1.0
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
PREFIX ?= /usr/local
B := build

WARN := -std=c11 -Wall -Wextra -Werror
CPPFLAGS += -Iinclude -Isrc -Itests -D_DEFAULT_SOURCE -DVMSA_VERSION=\"$(VERSION)\"
CFLAGS ?= -O2 -g
# Hidden by default: libvmsa.so exports only what the public headers
# declare (each wraps its declarations in #pragma GCC visibility
# push(default)); tests/cli/test_symbols.sh checks it.
ALL_CFLAGS := $(WARN) $(CFLAGS) -fPIC -fvisibility=hidden
SAN_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

# The library: every part but the command. One folder per part.
# The bundled scenarios are linked into the vmsa command and the tests, not
# into the library: a user's program gets only its own scenarios.
LIB_SRC := $(sort $(wildcard src/arch/*.c src/model/*.c src/explore/*.c \
	src/pgtable/*.c src/backend/*.c src/hyp/*.c src/litmus/*.c) \
	$(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
SCEN_SRC := $(sort $(wildcard scenarios/*.c scenarios/*/*.c))
CLI_SRC := src/cli/main.c $(SCEN_SRC)
TEST_SRC := $(sort $(wildcard tests/*/*.c)) tests/harness.c
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/obj/%.o) $(SCEN_SRC:%.c=$(B)/obj/%.o)
SAN_OBJ := $(LIB_SRC:%.c=$(B)/san/%.o) $(TEST_SRC:%.c=$(B)/san/%.o) \
	$(SCEN_SRC:%.c=$(B)/san/%.o)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all check valgrind-tool check-aarch64 aarch64 aarch64-cc bench bench-linux install \
	clean litmus-check fuzz
all: $(B)/libvmsa.a $(B)/libvmsa.so $(B)/vmsa

$(B)/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/san/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libvmsa.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libvmsa.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ -Wl,-soname,libvmsa.so.0

$(B)/vmsa: $(CLI_OBJ) $(B)/libvmsa.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libvmsa.a

$(B)/test/vmsa-tests: $(TEST_OBJ) $(B)/libvmsa.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(B)/libvmsa.a

$(B)/test/vmsa-tests-san: $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $(SAN_OBJ)

# A vmsa command over scenarios that are wrong on purpose (crashes, a
# nondeterministic one, an expectation with a typo) for the shell tests.
$(B)/test/vmsa-bad: tests/cli/prog/bad.c $(B)/libvmsa.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(B)/libvmsa.a

# Unit tests twice (plain, then sanitizers), then the shell tests of the
# command; tests/run-all.sh adds up their "N passed, N failed" lines.
check: all $(B)/test/vmsa-tests $(B)/test/vmsa-tests-san $(B)/test/vmsa-bad \
		$(B)/bench/pgtable $(B)/bench/litmus valgrind-tool
	@VMSA=$(B)/vmsa sh tests/run-all.sh $(B)/test/vmsa-tests \
		$(B)/test/vmsa-tests-san $(sort $(wildcard tests/*/*.sh))

# valgrind, for tests/cli/test_valgrind.sh: installed from Debian when it
# is missing (as root); without it that script is skipped, and check goes
# on.
valgrind-tool:
	@command -v valgrind >/dev/null || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq valgrind >/dev/null; } || \
	echo "valgrind could not be installed:" \
	     "tests/cli/test_valgrind.sh will be skipped" >&2

# Every litmus test of LITMUS_DIR (Arm's VMSA catalogue with herd7's
# verdicts) against herd7: the agreement table per folder (docs/litmus.md).
LITMUS_DIR ?= ../shared/litmus
LITMUS_MAX_EXECUTIONS ?= 300000
litmus-check: all
	@sh tests/litmus/tools/litmus-check.sh $(B)/vmsa $(LITMUS_DIR) \
		$(LITMUS_MAX_EXECUTIONS)

# libFuzzer on the litmus front end (docs/litmus.md, "Fuzzing the front
# end"): the entry point of tests/litmus/test_litmus_fuzz.c and the
# library, built with Clang under AddressSanitizer and
# UndefinedBehaviorSanitizer, run for FUZZ_SECONDS on a corpus kept in
# build/fuzz/corpus and seeded with tests/litmus/data and LITMUS_DIR. A
# crash, a timeout (FUZZ_TIMEOUT seconds on one input), a leak or
# undefined behaviour stops it with the input in build/fuzz/ (crash-*,
# timeout-*, leak-*) and a non-zero exit. Installs clang from Debian
# when it is missing (as root).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 20
FUZZ_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzz:
	@if ! command -v $(FUZZ_CC) >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq clang >/dev/null; \
		else \
			echo "fuzz needs $(FUZZ_CC) (Debian: clang)" >&2; exit 2; \
		fi; \
	fi
	@mkdir -p $(B)/fuzz/corpus $(B)/fuzz/seeds
	$(FUZZ_CC) $(CPPFLAGS) -DVMSA_LIBFUZZER $(FUZZ_CFLAGS) \
		-o $(B)/fuzz/litmus-fuzz $(LIB_SRC) tests/litmus/test_litmus_fuzz.c
	@cp tests/litmus/data/*.litmus $(B)/fuzz/seeds/
	@if [ -d $(LITMUS_DIR) ]; then \
		find $(LITMUS_DIR) -name '*.litmus' -exec cp {} $(B)/fuzz/seeds/ \; ; \
	fi
	$(B)/fuzz/litmus-fuzz -max_total_time=$(FUZZ_SECONDS) \
		-timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -max_len=8192 \
		-artifact_prefix=$(CURDIR)/$(B)/fuzz/ -print_final_stats=1 \
		$(B)/fuzz/corpus $(B)/fuzz/seeds

# The unit tests built for AArch64 and run under qemu-aarch64: checks the
# AArch64 coroutine switch and anything else that differs between hosts.
# Installs the cross compiler and qemu-user from Debian when they are
# missing (as root).
AARCH64_CC ?= aarch64-linux-gnu-gcc
check-aarch64:
	@if ! command -v $(AARCH64_CC) >/dev/null || ! command -v qemu-aarch64 >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq gcc-aarch64-linux-gnu qemu-user >/dev/null; \
		else \
			echo "check-aarch64 needs $(AARCH64_CC) and qemu-aarch64" \
			     "(Debian: gcc-aarch64-linux-gnu qemu-user)" >&2; exit 2; \
		fi; \
	fi
	@mkdir -p $(B)/aarch64
	$(AARCH64_CC) $(CPPFLAGS) $(WARN) -O2 -static -o $(B)/aarch64/vmsa-tests \
		$(LIB_SRC) $(TEST_SRC) $(SCEN_SRC)
	qemu-aarch64 $(B)/aarch64/vmsa-tests

# The page-table library for AArch64 EL2/EL1 code: its sources, the
# architecture core files it uses (PGT_ARCH_SRC, when it lists any) and the
# AArch64 backend, built freestanding (no libc: no call the object does
# not define, which tests/cli/test_aarch64.sh checks with nm -u) into one
# relocatable object and an archive. -mgeneral-regs-only: EL2 and kernel
# code leaves FP/SIMD registers alone. Installs the cross compiler from
# Debian when it is missing (as root).
AARCH64_PGT_SRC = $(sort $(wildcard src/pgtable/*.c)) $(PGT_ARCH_SRC) \
	src/backend/aarch64.c
AARCH64_PGT_OBJ = $(AARCH64_PGT_SRC:%.c=$(B)/aarch64/obj/%.o)
AARCH64_PGT_CFLAGS := $(WARN) -ffreestanding -nostdlib -O2 \
	-fno-stack-protector -mgeneral-regs-only -fvisibility=hidden
AARCH64_PREFIX := $(patsubst %gcc,%,$(AARCH64_CC))

aarch64-cc:
	@if ! command -v $(AARCH64_CC) >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq gcc-aarch64-linux-gnu >/dev/null; \
		else \
			echo "make aarch64 needs $(AARCH64_CC)" \
			     "(Debian: gcc-aarch64-linux-gnu)" >&2; exit 2; \
		fi; \
	fi

aarch64: aarch64-cc
	@$(MAKE) --no-print-directory $(B)/aarch64/libvmsa-pgtable.o \
		$(B)/aarch64/libvmsa-pgtable.a

$(B)/aarch64/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(AARCH64_CC) $(CPPFLAGS) $(AARCH64_PGT_CFLAGS) -MMD -MP -c $< -o $@

$(B)/aarch64/libvmsa-pgtable.o: $(AARCH64_PGT_OBJ)
	$(AARCH64_PREFIX)ld -r -o $@ $^

$(B)/aarch64/libvmsa-pgtable.a: $(AARCH64_PGT_OBJ)
	@rm -f $@
	$(AARCH64_PREFIX)ar rcs $@ $^

$(B)/bench/%: bench/%.c $(B)/libvmsa.a $(SCEN_SRC:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(SCEN_SRC:%.c=$(B)/obj/%.o) \
		$(B)/libvmsa.a

$(B)/bench/pgtable: bench/pgtable_lib.h
$(B)/bench/scaling: bench/scaling_scen.h

bench: $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $$b || exit 1; done

# bench/pgtable with Linux's own kvm_pgtable measured in the same run.
# Linux's arch/arm64/kvm/hyp/pgtable.c and the header it implements are
# taken at build time from Debian's linux-source package (installed when
# missing, as root) into $(LX), never into the source tree, and compiled
# for the host against our shim (bench/linux-shim/) with the kernel's own
# language and optimisation flags. Without the package, bench/pgtable runs
# alone and its JSON says why ("linux": null, "linux_note").
LINUX_PKG := linux-source-6.12
LINUX_TAR := /usr/src/$(LINUX_PKG).tar.xz
LX := $(B)/linux
LX_TAKE := arch/arm64/kvm/hyp/pgtable.c arch/arm64/include/asm/kvm_pgtable.h
LX_CFLAGS := -std=gnu11 -O2 -fno-strict-aliasing -Wall -Wno-unused-parameter
LX_CPPFLAGS := -Ibench/linux-shim -I$(LX)/arch/arm64/include
LX_SHIM_H := $(wildcard bench/linux-shim/*.h bench/linux-shim/*/*.h) \
	bench/pgtable_lib.h
LX_OBJ := $(LX)/pgtable.o $(patsubst bench/linux-shim/%.c,$(LX)/%.o, \
	$(wildcard bench/linux-shim/*.c))

$(LX)/taken: $(LINUX_TAR)
	rm -rf $(LX) && mkdir -p $(LX)
	tar -xJf $(LINUX_TAR) -C $(LX) --strip-components=1 \
		$(addprefix $(LINUX_PKG)/,$(LX_TAKE))
	(dpkg-query -W -f='$${Version}' $(LINUX_PKG) 2>/dev/null || \
		echo unknown) >$(LX)/version
	touch $@

$(LX)/pgtable.o: $(LX)/taken $(LX_SHIM_H) Makefile
	$(CC) $(LX_CPPFLAGS) $(LX_CFLAGS) -c \
		$(LX)/arch/arm64/kvm/hyp/pgtable.c -o $@

# Our shim: our warnings, the kernel's language.
$(LX)/%.o: bench/linux-shim/%.c $(LX)/taken $(LX_SHIM_H) Makefile
	$(CC) $(LX_CPPFLAGS) -D_DEFAULT_SOURCE \
		-DKSHIM_LINUX_VERSION=\"$$(cat $(LX)/version)\" \
		$(WARN) $(CFLAGS) -std=gnu11 -c $< -o $@

$(B)/bench/pgtable-linux: bench/pgtable.c $(LX_SHIM_H) $(LX_OBJ) \
		$(B)/libvmsa.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -DVMSA_BENCH_LINUX -o $@ $< \
		$(LX_OBJ) $(B)/libvmsa.a

# Builds go to stderr: stdout is the JSON object alone.
bench-linux:
	@$(MAKE) --no-print-directory $(B)/bench/pgtable >&2
	@if [ ! -f $(LINUX_TAR) ] && [ "$$(id -u)" = 0 ] && \
	    command -v apt-get >/dev/null; then \
		echo "installing $(LINUX_PKG) from Debian" >&2; \
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq $(LINUX_PKG) >/dev/null; \
	fi; \
	if [ ! -f $(LINUX_TAR) ]; then \
		VMSA_BENCH_LINUX_NOTE="$(LINUX_TAR) is missing and could not be installed (Debian package $(LINUX_PKG), as root): vmsa alone" \
		$(B)/bench/pgtable; \
	elif ! $(MAKE) --no-print-directory $(B)/bench/pgtable-linux >&2; then \
		VMSA_BENCH_LINUX_NOTE="building Linux's pgtable.c from $(LINUX_TAR) failed (errors on stderr): vmsa alone" \
		$(B)/bench/pgtable; \
	else \
		$(B)/bench/pgtable-linux; \
	fi

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/include/vmsa
	install -m 644 $(B)/libvmsa.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(B)/libvmsa.so $(DESTDIR)$(PREFIX)/lib/libvmsa.so.$(VERSION)
	ln -sf libvmsa.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libvmsa.so.0
	ln -sf libvmsa.so.0 $(DESTDIR)$(PREFIX)/lib/libvmsa.so
	install -m 644 include/vmsa/*.h $(DESTDIR)$(PREFIX)/include/vmsa/
	install -m 755 $(B)/vmsa $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		vmsa.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vmsa.pc

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
