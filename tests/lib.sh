# tests/lib.sh - helpers for shell tests. Source it, call t_* and finish
# with t_done, which prints "N passed, N failed" and sets the exit status.
# $VMSA is the vmsa command under test (make check sets it).
: "${VMSA:=build/vmsa}"
t_pass=0
t_fail=0
t_out=
t_err=
t_rc=0

# t_run CMD...: run a command, keep stdout, stderr and exit status.
t_run() {
	t_out=$("$@" 2>/tmp/vmsa-t-err.$$)
	t_rc=$?
	t_err=$(cat /tmp/vmsa-t-err.$$)
	rm -f /tmp/vmsa-t-err.$$
}

t_ok() { t_pass=$((t_pass + 1)); }
t_bad() {
	t_fail=$((t_fail + 1))
	echo "FAIL: $1"
	echo "  stdout: $t_out"
	echo "  stderr: $t_err"
	echo "  status: $t_rc"
}

# t_expect NAME STATUS: the last command exited with STATUS.
t_status() { [ "$t_rc" -eq "$2" ] && t_ok || t_bad "$1: status $t_rc, want $2"; }
# t_stdout_has NAME TEXT / t_stderr_has NAME TEXT: fixed-string match.
t_stdout_has() {
	printf '%s\n' "$t_out" | grep -qF -- "$2" && t_ok || t_bad "$1: stdout lacks '$2'"
}
t_stderr_has() {
	printf '%s\n' "$t_err" | grep -qF -- "$2" && t_ok || t_bad "$1: stderr lacks '$2'"
}
t_stdout_is() {
	[ "$t_out" = "$2" ] && t_ok || t_bad "$1: stdout is not '$2'"
}

# A script that checked nothing proves nothing: that counts as a failure,
# as in the C harness.
t_done() {
	[ $((t_pass + t_fail)) -eq 0 ] && t_bad "the script made no check"
	echo "$t_pass passed, $t_fail failed"
	[ "$t_fail" -eq 0 ]
}

# t_need_catalogue DIR WHAT [PATH...]: unless every PATH (default:
# DIR/aarch64-VMSA) is there, say that WHAT is skipped for want of the
# litmus catalogue DIR, print a skipped script's count line and exit.
t_need_catalogue() {
	_dir=$1 _what=$2
	shift 2
	[ $# -gt 0 ] || set -- "$_dir/aarch64-VMSA"
	for _p in "$@"; do
		[ -e "$_p" ] && continue
		echo "no litmus catalogue at $_dir: $_what skipped"
		echo "0 passed, 0 failed, 1 skipped"
		exit 0
	done
}

# with_model_scenarios CMD...: run CMD with the patterns of the model's
# own bundled scenarios appended (every topic but pgtable/ and the seed
# topics of scenarios/seeds/, whose searches
# take seconds at the default bound and minutes beyond it: they are
# pinned at bounds 0 to 2 by tests/explore/test_counts.c, see
# tests/explore/bundled.h). For tests that run every configuration at
# high bounds or many times over.
with_model_scenarios() {
	"$@" 'bbm/*' 'cache/*' 'ets2/*' 's2/*' 'size/*' 'table/*'
}
