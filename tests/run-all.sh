#!/bin/sh
# Run each test program given and add up the "N passed, N failed[, N
# skipped]" line each one prints last. Prints the total as the final line
# and exits non-zero when any test failed or a program printed no total
# (a crash counts as one failure).
passed=0 failed=0 skipped=0
for t in "$@"; do
	echo "== $t"
	case "$t" in
	*.sh) out=$(sh "$t" 2>&1) ;;
	*) out=$("$t" 2>&1) ;;
	esac
	rc=$?
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$t: exited $rc without a summary line"
		failed=$((failed + 1))
		continue
	fi
	echo "   $line"
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -n -E 's/.*, ([0-9]+) skipped.*/\1/p')
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$t: exited $rc with no failed test"
		failed=$((failed + 1))
	fi
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
