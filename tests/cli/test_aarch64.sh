#!/bin/sh
# `make aarch64`: the page-table library and the AArch64 backend build
# freestanding into build/aarch64/libvmsa-pgtable.o, an object with no
# undefined symbol at all (everything the library needs from outside
# comes through the ops' function pointers: no memset or memcpy either),
# and every TLBI the backend may issue is the instruction its name says.
# Under qemu-aarch64, the backend's descriptor operations run at EL0,
# once with the LDAXR/STLXR loop and once with LSE's CASAL. Skipped
# without the cross compiler (make check-aarch64 installs it).
. "$(dirname "$0")/../lib.sh"

cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
prefix=${cc%gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "$cc is not installed: the AArch64 build was skipped"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-aarch64.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

t_run ${MAKE:-make} --no-print-directory -s aarch64 AARCH64_CC="$cc"
t_status make-aarch64 0
obj=build/aarch64/libvmsa-pgtable.o
[ -f "$obj" ] && [ -f build/aarch64/libvmsa-pgtable.a ] && t_ok ||
	t_bad "no $obj or its archive"

# No undefined symbol: nothing from libc, nothing from the rest of vmsa.
t_run "${prefix}nm" -u "$obj"
t_status nm-u 0
t_stdout_is no-undefined-symbols ""

# The API is defined in it.
t_run "${prefix}nm" --defined-only -g "$obj"
t_stdout_has defines-aarch64-init " T vmsa_pgt_aarch64_init"
if ls src/pgtable/*.c >/dev/null 2>&1; then
	t_stdout_has defines-pgt-map " T vmsa_pgt_map"
	t_stdout_has defines-pgt-init " T vmsa_pgt_init"
fi

# Every TLBI form (21 operations, local, IS and OS) disassembles to its
# name: the SYS encodings in aarch64.c are right.
"${prefix}objdump" -d "$obj" | grep -o 'tlbi	[a-z0-9]*' | sort -u \
	>"$tmp/tlbi"
t_run wc -l <"$tmp/tlbi"
t_stdout_is tlbi-forms "63"
for op in vmalle1is ipas2e1is ipas2le1is ripas2e1is vmalls12e1is vale1is \
	vae1is aside1is vale2is vae2is alle2is ipas2e1 vmalls12e1 vmalle1 \
	vmalle1os rvae1is rvale2; do
	grep -qx "tlbi	$op" "$tmp/tlbi" && t_ok || t_bad "no tlbi $op"
done

# The backend's unit tests at EL0 under qemu-aarch64.
if command -v qemu-aarch64 >/dev/null 2>&1; then
	flags="-std=c11 -Wall -Wextra -Werror -O2 -Iinclude -Isrc -Itests \
		-D_DEFAULT_SOURCE"
	for arch in armv8-a armv8.1-a; do
		t_run $cc $flags -march=$arch -c -o "$tmp/aa-$arch.o" \
			src/backend/aarch64.c
		t_status "build-backend-$arch" 0
		t_run $cc $flags -march=$arch -static -o "$tmp/t-$arch" \
			tests/harness.c tests/backend/test_aarch64_backend.c \
			"$tmp/aa-$arch.o"
		t_status "build-$arch" 0
		t_run qemu-aarch64 "$tmp/t-$arch"
		t_status "run-$arch" 0
		t_stdout_has "tests-$arch" "4 passed, 0 failed"
	done
	# The two CAS implementations.
	t_run "${prefix}objdump" -d "$tmp/aa-armv8-a.o"
	t_stdout_has llsc-cas "ldaxr"
	t_run "${prefix}objdump" -d "$tmp/aa-armv8.1-a.o"
	t_stdout_has lse-cas "casal"
else
	echo "qemu-aarch64 is not installed: the EL0 run was skipped"
fi

t_done
