#!/bin/sh
# libvmsa.so exports its public API and nothing else: every defined
# dynamic symbol starts with vmsa_ and is declared in a public header
# (include/vmsa/*.h); internal functions stay hidden (-fvisibility=hidden,
# the headers' #pragma GCC visibility push(default)). The checker is first
# run on a library that exports a stray symbol, to show it catches one.
. "$(dirname "$0")/../lib.sh"

lib=${LIBVMSA_SO:-build/libvmsa.so}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-symbols.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v nm >/dev/null 2>&1; then
	echo "nm is not installed: the exported-symbol check was skipped"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

# Every function name a public header declares.
grep -ho 'vmsa_[A-Za-z0-9_]*(' include/vmsa/*.h | tr -d '(' | sort -u \
	>"$tmp/declared"

# bad_symbols LIB: print each exported symbol that is not public API.
bad_symbols() {
	nm -D --defined-only "$1" | awk '{print $NF}' | sort -u >"$tmp/exported"
	grep -v '^vmsa_' "$tmp/exported"
	grep '^vmsa_' "$tmp/exported" | grep -vxF -f "$tmp/declared"
}

# The checker catches a stray export, with or without the prefix.
cat >"$tmp/stray.c" <<'EOC'
int helper(void) { return 1; }
int vmsa_not_in_a_header(void) { return 2; }
int vmsa_explore(void) { return 3; }
EOC
t_run ${CC:-cc} -shared -fPIC -o "$tmp/libstray.so" "$tmp/stray.c"
t_status stray-build 0
t_run bad_symbols "$tmp/libstray.so"
t_stdout_is stray-caught "helper
vmsa_not_in_a_header"

# The library itself.
[ -f "$lib" ] && t_ok || t_bad "no $lib (run make first)"
t_run bad_symbols "$lib"
t_stdout_is libvmsa-exports-only-api ""
nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u >"$tmp/exported"
for s in vmsa_main vmsa_explore vmsa_replay vmsa_machine_new vmsa_desc_decode \
	vmsa_walk vmsa_tlbi_matches vmsa_scenario_register vmsa_config_parse; do
	grep -qx "$s" "$tmp/exported" && t_ok || t_bad "$s is not exported"
done
# Internal functions are hidden (one of the architecture core, one of
# the model, one of the explorer).
for s in vmsa_stage_walk hist_init coro_new vmsa_coro_swap; do
	grep -qx "$s" "$tmp/exported" && t_bad "$s is exported" || t_ok
done

t_done
