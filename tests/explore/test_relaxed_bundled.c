/*
 * tests/explore/test_relaxed_bundled.c - bundled scenarios run with the
 * feature `relaxed` (Arm's ordering of data accesses) whose verdicts were
 * wrong before 2026-12-07, each for a reason of the model or of the
 * scenario library (docs/explorer.md, "Bundled scenarios under relaxed"):
 *  - kvm-bbml2/wrprotect-is: the host's read of the page after its
 *    write-protect and TLBI sequence missed the guest's earlier write,
 *    which TLBI-ordered-before orders before it (B2.3.7): translations
 *    under stage 2 now record the combined entry they used (translate.c,
 *    s2_record) and are ordered before a covering TLBI's DSB; before, an
 *    `assert` ("write completed without a dirty-log fault");
 *  - pgtable/fault-same: the MMU lock's atomics were plain, so nothing in
 *    a critical section was ordered after taking the lock; now acquire
 *    and release (docs/hyp.md); before, a `use-after-free`;
 *  - cache/mmu-off-read-clean and pause/order-ok: a CPU waits for a flag
 *    (vmsa_wait_eq), then enters its guest or goes on through an
 *    exception return, and its walk read the descriptor from before the
 *    flag; a wait is a loop that exits on the value it read, a control
 *    dependency, which the exception return then orders later walks
 *    after (explore.c, wait_read; B2.3.7 ctrl; ISB); before, an
 *    `unhandled-abort`;
 *  - pause/stop-machine and stop-machine-no-isb@ets2: the rendezvous's
 *    acknowledgement was a plain CAS, the last CPU's reset of the count
 *    and its write of the next state were unordered, and EXIT was not
 *    acknowledged; Linux's multi_cpu_stop() decrements with a fully
 *    ordered atomic (CASAL here), puts smp_wmb() between the two writes
 *    and acknowledges EXIT too (src/hyp/pause.c); before, an
 *    `unhandled-abort` (a walk with the descriptor from before the
 *    change) or an `assert` (a read through the old mapping after EXIT).
 * Exact execution counts, the plain search at one preemption (the
 *    rendezvous at none: 82,496 executions at one).
 */
#include "harness.h"
#include "vmsa/explore.h"

/* name in config, plain at `bound` preemptions: safe, complete, n
 * executions. */
static void relaxed_safe_at(const char *name, const char *config, int bound,
			    uint64_t n)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK(s != NULL);
	if (!s)
		return;
	o.preemptions = bound;
	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, n);
	vmsa_explore_result_free(&res);
}

static void relaxed_safe(const char *name, const char *config, uint64_t n)
{
	relaxed_safe_at(name, config, 1, n);
}

TEST(relaxed_bundled_wrprotect_is)
{
	relaxed_safe("kvm-bbml2/wrprotect-is", "bbm2-noabort+relaxed", 1794);
}

TEST(relaxed_bundled_fault_same)
{
	relaxed_safe("pgtable/fault-same", "bbm0+relaxed", 96492);
}

TEST(relaxed_bundled_wait_ctrl_dep)
{
	relaxed_safe("cache/mmu-off-read-clean", "default+relaxed", 8);
	relaxed_safe("pause/order-ok", "default+relaxed", 22);
}

TEST(relaxed_bundled_stop_machine)
{
	relaxed_safe_at("pause/stop-machine", "default+relaxed", 0, 2176);
	relaxed_safe_at("pause/stop-machine", "exs+relaxed", 0, 2176);
	relaxed_safe_at("pause/stop-machine-no-isb", "ets2+relaxed", 0, 2176);
}
