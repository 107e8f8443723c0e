/*
 * tests/litmus/test_litmus_decided.c - a search cut at max_executions
 * whose executions already decide the observation (docs/litmus.md, "An
 * observation decided before the search ends"): an execution where the
 * proposition holds and one where it does not make it Sometimes
 * whatever the others give. The test is still unsupported ("did not
 * finish"), with decided_sometimes, the counts and a witness; cut
 * before it met both, nothing is decided.
 */
#include <string.h>

#include "litmus_run.h"

/* MP without barriers: 8 executions run to their end (14 without the
 * read rule, VMSA_ORDER_RDPRUNE=0, which ends the others at a read that
 * another order gives), 2 where P1 sees y's message and not x's (the
 * search meets the first of them as its 8th execution, the 6th run to
 * its end). */
static const char mp[] =
	"AArch64 MP\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n"
	" P0          | P1          ;\n"
	" MOV W0,#1   | LDR W0,[X1] ;\n"
	" STR W0,[X1] | LDR W2,[X3] ;\n"
	" MOV W2,#1   |             ;\n"
	" STR W2,[X3] |             ;\n"
	"exists (1:X0=1 /\\ 1:X2=0)\n";

static int run_max(uint64_t max, vmsa_litmus_result_t *r)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();

	o.variant = "vmsa,fatal";
	o.max_executions = max;
	return lit_run_opts(mp, &o, r);
}

/* The whole search: the figures the cut searches below are part of. */
TEST(litmus_decided_whole_search)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(run_max(0, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	CHECK_EQ(r.prop_true, 2);
	CHECK_EQ(r.prop_false, 6);
	CHECK(!r.decided_sometimes);
	vmsa_litmus_result_free(&r);
}

/* Cut after 7 executions, 5 run to their end, none of them positive:
 * not decided. */
TEST(litmus_decided_not_yet)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(run_max(7, &r), -ENOTSUP);
	CHECK_EQ(r.outcome, VMSA_LITMUS_UNSUPPORTED);
	CHECK(!r.decided_sometimes);
	CHECK_EQ(r.prop_true, 0);
	CHECK_EQ(r.prop_false, 5);
	CHECK(r.witness == NULL);
	CHECK_STR(r.error, "t.litmus: unsupported: the search did not finish "
		  "within 7 executions (5 of them ran to their end: the "
		  "reduction cut the others short)");
	vmsa_litmus_result_free(&r);
}

/* Cut after 8: the 8th is positive, the observation is Sometimes. */
TEST(litmus_decided_sometimes)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(run_max(8, &r), -ENOTSUP);
	CHECK_EQ(r.outcome, VMSA_LITMUS_UNSUPPORTED);
	CHECK(r.decided_sometimes);
	CHECK_EQ(r.prop_true, 1);
	CHECK_EQ(r.prop_false, 5);
	CHECK_EQ(r.nstates, 0);
	CHECK(r.witness != NULL);
	CHECK_STR(r.error, "t.litmus: unsupported: the search did not finish "
		  "within 8 executions (6 of them ran to their end: the "
		  "reduction cut the others short), but its observation is "
		  "decided: Sometimes (the proposition holds in 1 of those "
		  "and not in 5)");
	vmsa_litmus_result_free(&r);
}
