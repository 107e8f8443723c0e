#!/bin/sh
# Every C file of the project (library, command, scenarios, tests,
# benchmarks) compiles with Clang as with GCC, -std=c11 -Wall -Wextra
# -Werror (checked, not code-generated: -fsyntax-only), and each public
# header alone with -pedantic too. `make fuzz` builds the library with
# Clang (docs/litmus.md, "Fuzzing the front end"), and users build it
# and include its headers with either compiler; GCC accepts things C11
# does not, which Clang rejects (a static array initialised from another
# array's elements: no constant expressions, 6.6). Skipped when clang is
# not installed. Prints "N passed, N failed, N skipped".
. "$(dirname "$0")/../lib.sh"

t_skipped=0
t_done() {
	echo "$t_pass passed, $t_fail failed, $t_skipped skipped"
	[ "$t_fail" -eq 0 ]
}

if ! command -v clang >/dev/null; then
	t_skipped=1
	echo "skipped: clang is not installed"
	t_done
	exit
fi

flags="-std=c11 -Wall -Wextra -Werror -fsyntax-only"
for f in src/*/*.c scenarios/*.c scenarios/*/*.c tests/harness.c \
	tests/*/*.c bench/*.c; do
	t_run clang $flags -D_DEFAULT_SOURCE -DVMSA_VERSION=\"clang\" \
		-Iinclude -Isrc -Itests "$f"
	t_status "clang: $f" 0
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-clang.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
for h in include/vmsa/*.h; do
	printf '#include <%s>\nint vmsa_header_test;\n' "${h#include/}" \
		>"$tmp/one.c"
	t_run clang $flags -pedantic -Iinclude "$tmp/one.c"
	t_status "clang -pedantic: $h" 0
done
t_done
