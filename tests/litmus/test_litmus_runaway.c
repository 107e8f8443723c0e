/*
 * tests/litmus/test_litmus_runaway.c - a test whose thread never ends:
 * P1 loops on a condition no load decides (herd7 does not unroll such a
 * loop: it would not end either), reading x each time. On Arm's ordering
 * the promise scan (promise.c) finds that before the search: its paths
 * pass its budget. On sequentially consistent memory (--sc, no scan) the
 * thread runs until it has run LIT_MAX_INSNS instructions. The test is
 * then unsupported
 * whatever its other executions give, so the search stops at the first
 * execution that runs away (explore_stop); and that execution, thousands
 * of decisions long, keeps at most RESUME_MAX_STATES saved states
 * (resume.c). Found by libFuzzer (`make fuzz`) with a fault handler that
 * returned to the load that faulted: before, each such execution took
 * 5 s and 1 GB, and the search went on through them for hours. (Such a
 * handler no longer runs away: its third return to one instruction is
 * cut off, as herd7 cuts it, test_litmus_order.c.)
 */
#include <errno.h>

#include "explore/resume.h"
#include "harness.h"
#include "litmus_run.h"

/* P0's store makes a second order of the threads, so the search has
 * executions after the first. */
static const char runaway[] =
	"AArch64 RUNAWAY\n{ 0:X1=x; 1:X6=x; }\n"
	" P0          | P1          ;\n"
	" MOV W0,#1   | MOV W1,#1   ;\n"
	" STR W0,[X1] |L1:          ;\n"
	"             | LDR W7,[X6] ;\n"
	"             | CBNZ W1,L1  ;\n"
	"exists (1:X7=0)\n";

TEST(litmus_runaway_stops_the_search)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	vmsa_litmus_result_t r;

	o.max_executions = 5;
	o.sc = true;
	CHECK_EQ(lit_run_opts(runaway, &o, &r), -ENOTSUP);
	CHECK_EQ(r.outcome, VMSA_LITMUS_UNSUPPORTED);
	CHECK_STR(r.error, "t.litmus: unsupported: a thread ran 10000 "
		  "instructions (a loop that does not end; herd7 unrolls "
		  "loops a bounded number of times)");
	/* The first execution decided it: not the cap's five. */
	CHECK_EQ(r.executions, 1);
	vmsa_litmus_result_free(&r);
}

TEST(litmus_runaway_keeps_few_states)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(runaway, NULL, true, &r), -ENOTSUP);
	CHECK_EQ(r.executions, 1);
	/* Its path had thousands of decisions: the cap was reached, and
	 * no search of the process ever passed it. */
	CHECK_EQ(resume_depth_max, RESUME_MAX_STATES);
	vmsa_litmus_result_free(&r);
}

/* On Arm's ordering the promise scan meets the loop first: unsupported
 * before any execution. */
TEST(litmus_runaway_found_by_the_scan)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(runaway, NULL, false, &r), -ENOTSUP);
	CHECK_EQ(r.executions, 0);
	CHECK_STR(r.error, "t.litmus: unsupported: P1's code has too many "
		  "paths (branches, loops, faults; or a loop that does not "
		  "end) or stores to find those it may promise (load "
		  "buffering)");
	vmsa_litmus_result_free(&r);
}
