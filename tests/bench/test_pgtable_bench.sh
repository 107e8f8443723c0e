#!/bin/sh
# bench/pgtable runs and prints what docs/pgtable.md ("Benchmark") says:
# one JSON object with every figure, "linux": null and a note when built
# without Linux, its environment variables checked. The benchmark checks
# each operation's result itself (exact descriptors, table pages in use,
# no misuse reported by the backend) and exits 1 otherwise, so one
# repetition is also an end-to-end test of the library on 1 GiB. The
# side-by-side build (make bench-linux) is tested when it exists.
. "$(dirname "$0")/../lib.sh"

bench=${BENCH_PGTABLE:-build/bench/pgtable}
figures="map_range_ns_per_page map_page_ns_per_call unmap_ns_per_page
unmap_page_ns_per_call wrprotect_ns_per_page block_map_ns_per_block
split_ns_per_page peak_rss_kib peak_rss_empty_kib"

t_run env VMSA_BENCH_REPS=1 "$bench"
t_status "one repetition" 0
t_stdout_has "benchmark name" '{"benchmark":"pgtable","reps":1,'
for f in $figures; do
	t_stdout_has "vmsa figure $f" "\"$f\":"
done
t_stdout_has "without Linux" '"linux":null,"ratio_linux_over_vmsa":null,"linux_note":"built without'
# One line, nothing on stderr.
[ "$(printf '%s\n' "$t_out" | wc -l)" -eq 1 ] && [ -z "$t_err" ] && t_ok ||
	t_bad "one line on stdout, nothing on stderr"

t_run env VMSA_BENCH_REPS=1 VMSA_BENCH_ONLY=split \
	VMSA_BENCH_LINUX_NOTE='say "why" \ here' "$bench"
t_status "one figure" 0
t_stdout_has "others at 0" '"map_range_ns_per_page":0.00,'
t_stdout_has "note escaped" '"linux_note":"say \"why\" \\ here"}'

for bad in 0 102 x ""; do
	t_run env VMSA_BENCH_REPS="$bad" "$bench"
	if [ -z "$bad" ]; then
		t_status "empty REPS is the default" 0
	else
		t_status "REPS=$bad refused" 2
		t_stderr_has "REPS=$bad message" "VMSA_BENCH_REPS must be 1..101"
	fi
done

skipped=0
if [ -x build/bench/pgtable-linux ]; then
	t_run env VMSA_BENCH_REPS=1 build/bench/pgtable-linux
	t_status "side by side" 0
	t_stdout_has "Linux's figures" '"linux":{"version":'
	t_stdout_has "ratios" '"ratio_linux_over_vmsa":{"map_range":'
else
	echo "build/bench/pgtable-linux not built (make bench-linux): skipped"
	skipped=1
fi

if [ "$skipped" -gt 0 ]; then
	[ $((t_pass + t_fail)) -eq 0 ] && t_bad "the script made no check"
	echo "$t_pass passed, $t_fail failed, $skipped skipped"
	[ "$t_fail" -eq 0 ]
else
	t_done
fi
