/*
 * tests/litmus/test_litmus_runaway.c - a test whose thread never ends:
 * P1's fault handler returns to the load that faulted, which faults
 * again, until the thread has run LIT_MAX_INSNS instructions. The test is
 * then unsupported whatever its other executions give, so the search
 * stops at the first execution that runs away (explore_stop); and that
 * execution, thousands of decisions long, keeps at most
 * RESUME_MAX_STATES saved states (resume.c). Found by libFuzzer (`make
 * fuzz`): before, each such execution took 5 s and 1 GB, and the search
 * went on through them for hours.
 */
#include <errno.h>

#include "explore/resume.h"
#include "harness.h"
#include "litmus_run.h"

/* X2 is 0 at L1: the load from VA 0 has no mapping. P0's store makes a
 * second order of the threads, so the search has executions after the
 * first. */
static const char runaway[] =
	"AArch64 RUNAWAY\n{ 0:X1=x; 1:X2=y; 1:X6=x; }\n"
	" P0          | P1          | P1.F           ;\n"
	" MOV W0,#1   | LDR W7,[X6] | ADR X9,L1      ;\n"
	" STR W0,[X1] | MOV W2,#0   | MSR ELR_EL1,X9 ;\n"
	"             |L1:          | ERET           ;\n"
	"             | LDR W5,[X2] |                ;\n"
	"exists (1:X7=0)\n";

TEST(litmus_runaway_stops_the_search)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	vmsa_litmus_result_t r;

	o.max_executions = 5;
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

	CHECK_EQ(lit_run(runaway, NULL, false, &r), -ENOTSUP);
	CHECK_EQ(r.executions, 1);
	/* Its path had thousands of decisions: the cap was reached, and
	 * no search of the process ever passed it. */
	CHECK_EQ(resume_depth_max, RESUME_MAX_STATES);
	vmsa_litmus_result_free(&r);
}
