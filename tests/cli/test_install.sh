#!/bin/sh
# make install PREFIX=<tmp>: the library, headers, command and vmsa.pc are
# installed, and a program builds against them with pkg-config and runs.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

t_run ${MAKE:-make} -s install PREFIX="$prefix"
t_status install 0
for f in lib/libvmsa.a lib/libvmsa.so lib/pkgconfig/vmsa.pc include/vmsa/desc.h \
	include/vmsa/vmsa.h include/vmsa/cli.h include/vmsa/guest.h \
	include/vmsa/arch.h bin/vmsa; do
	[ -e "$prefix/$f" ] && t_ok || t_bad "install: $f missing"
done

t_run "$prefix/bin/vmsa" --version
t_status installed-command 0

t_run grep -c "^Libs: -L\${libdir} -lvmsa" "$prefix/lib/pkgconfig/vmsa.pc"
t_stdout_is pc-libs "1"

cat > "$tmp/prog.c" <<'EOC'
#include <stdio.h>
#include <vmsa/arch.h>

int main(void)
{
	char buf[128];
	vmsa_tlbi_op_t op;

	vmsa_desc_format(buf, sizeof(buf), 0x00400000402007fdull, VMSA_STAGE2,
			 2, VMSA_GRANULE_4K);
	puts(buf);
	if (vmsa_tlbi_parse("tlbi vale1is", &op))
		return 1;
	vmsa_tlbi_format(buf, sizeof(buf), op);
	puts(buf);
	return 0;
}
EOC

if command -v pkg-config >/dev/null 2>&1; then
	flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs vmsa)
	t_run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$tmp/prog" "$tmp/prog.c" $flags
	t_status pkg-config-build 0
	t_run env LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog"
	t_status pkg-config-run 0
	t_stdout_is pkg-config-run "BLOCK L2 oa=0x40200000 S2AP=RW MemAttr=NormalWB SH=ISH AF XN=2
tlbi vale1is"
	t_done
else
	echo "pkg-config is not installed: the build against the installed library was skipped"
	echo "$t_pass passed, $t_fail failed, 1 skipped"
	[ "$t_fail" -eq 0 ]
fi
