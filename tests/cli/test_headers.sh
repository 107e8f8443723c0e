#!/bin/sh
# The public headers: each compiles on its own (it includes what it
# uses), vmsa/vmsa.h includes every one of them, and a program using only
# vmsa/vmsa.h builds with -std=c11 -Wall -Wextra -Werror -pedantic.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-headers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cc=${CC:-cc}
flags="-std=c11 -Wall -Wextra -Werror -pedantic -Iinclude"

for h in include/vmsa/*.h; do
	name=${h#include/}
	printf '#include <%s>\n#include <%s>\nint vmsa_header_test;\n' \
		"$name" "$name" >"$tmp/one.c"
	t_run $cc $flags -c -o "$tmp/one.o" "$tmp/one.c"
	t_status "alone: $name" 0
	[ "$name" = vmsa/vmsa.h ] && continue
	grep -qx "#include \"$name\"" include/vmsa/vmsa.h && t_ok ||
		t_bad "vmsa/vmsa.h does not include $name"
done

# vmsa_main is declared in vmsa/cli.h only.
t_run grep -l 'vmsa_main(' include/vmsa/*.h
t_stdout_is vmsa-main-in-cli-h "include/vmsa/cli.h"

cat >"$tmp/all.c" <<'EOC'
#include <vmsa/vmsa.h>

int main(int argc, char **argv)
{
	vmsa_features_t f = vmsa_features_default();
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	(void)o;
	if (f.ncpus != 2)
		return 1;
	return argc > 1 ? vmsa_main(argc, argv) : 0;
}
EOC
t_run $cc $flags -o "$tmp/all" "$tmp/all.c" build/libvmsa.a
t_status vmsa-h-program 0
t_run "$tmp/all"
t_status vmsa-h-program-runs 0

t_done
