#!/bin/sh
# tests/harness.c: a test passes when it made a check and none failed; a
# test that made no check fails ("the test made no check"), as does one
# whose check fails. Built here from a small test file of its own.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-harness.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/t.c" <<'EOC'
#include "harness.h"

TEST(checks_and_passes) { CHECK_EQ(1 + 1, 2); CHECK_MSG(1, "never"); }
TEST(checks_nothing) { int x = 1; (void)x; }
TEST(check_fails) { CHECK_MSG(2 < 1, "two is %d", 2); }
EOC
t_run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Itests -o "$tmp/t" \
	"$tmp/t.c" tests/harness.c
t_status build 0

t_run "$tmp/t"
t_status run 1
t_stdout_is summary "1 passed, 2 failed"
t_stderr_has no-check "checks_nothing: the test made no check"
t_stderr_has no-check-fails "FAIL checks_nothing"
t_stderr_has message "check_fails: two is 2"
printf '%s\n' "$t_err" | grep -q "FAIL checks_and_passes" &&
	t_bad "a test with a passing check failed" || t_ok

t_run "$tmp/t" checks_and_passes
t_status one-test 0
t_stdout_is one-test-summary "1 passed, 0 failed"

t_done
