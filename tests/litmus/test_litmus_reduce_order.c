/*
 * tests/litmus/test_litmus_reduce_order.c - litmus tests made by hand so
 * that one dependency of the reduction decides a final state: with that
 * dependency left out, the reduced search loses a state the plain search
 * (VMSA_LITMUS_NOREDUCE) has. The plain searches take seconds to minutes,
 * too long for make check under the sanitizers, so each test checks the
 * reduced search (whole, and split over two workers) against the states
 * the plain search gave when the test was written; the comment of each
 * says how many executions that search made (docs/explorer.md, "Why the
 * reduction is sound for this model").
 *
 * The random tests (test_litmus_reduce_random.c, test_dpor_random.c)
 * and the catalogue searches under 20,000 executions keep every state
 * when these dependencies are left out; only exact execution counts of
 * unit tests changed, which says that the search is different, not that
 * it lost anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus_split.h"

/*
 * The order of two writes of different locations by different CPUs
 * (FP_OBJ_ORDER written by every write, order.c order_write()). P0
 * writes x, then y with release; P1 reads y, reads z twice and reads x
 * with an address dependency on the second read of z; P2 writes 3 to
 * z while P3 points z's page at a's (a holds 4), with no break. In the
 * state of the condition P2's write went through the new mapping (z's
 * own page keeps 1, [z]=1) and both of P1's reads of z read it there,
 * while P1's read of x, ordered after the second, still reads 0: P2's
 * write is before P0's write of x in memory's order, although it is a
 * write of another location by another CPU. With writes independent
 * of each other (only TLBI completions and publishing DSBs writing the
 * order) the reduced search misses that order of the two writes and the
 * state: 62 states, Never.
 *
 * The plain search: 2,166,169 executions, 252 positive, the 64 states
 * below: every combination of X1 in {0, 1}, X3 and X5 in {1, 3, 4}, X7
 * in {0, 1} and [z] in {1, 3} but the eight where P1's first read of z
 * gives P2's 3 and its second the initial 1 with 3 left at z, or a's 4
 * with 1 left at z.
 */
static const char ww_test[] =
	"AArch64 ReduceWriteOrder\n"
	"{\n"
	"int z=1; int a=4;\n"
	"0:X0=1; 0:X1=x; 0:X2=1; 0:X3=y;\n"
	"1:X0=y; 1:X4=z; 1:X8=x;\n"
	"2:X0=z; 2:X1=3;\n"
	"3:X0=PTE(z); 3:X3=(oa:PA(a));\n"
	"}\n"
	" P0           | P1                  | P2          | P3          ;\n"
	" STR W0,[X1]  | LDR W1,[X0]         | STR W1,[X0] | STR X3,[X0] ;\n"
	" STLR W2,[X3] | LDR W3,[X4]         |             |             ;\n"
	"              | LDR W5,[X4]         |             |             ;\n"
	"              | AND W6,W5,#128      |             |             ;\n"
	"              | LDR W7,[X8,W6,SXTW] |             |             ;\n"
	"exists (1:X1=1 /\\ 1:X3=3 /\\ 1:X5=3 /\\ 1:X7=0 /\\ [z]=1)\n";

/* The states above, in herd7's order, into want (room for 72). */
static unsigned ww_states(char want[72][48])
{
	static const unsigned read[] = {1, 3, 4};
	unsigned n = 0;

	for (unsigned x1 = 0; x1 < 2; x1++)
		for (unsigned i3 = 0; i3 < 3; i3++)
			for (unsigned i5 = 0; i5 < 3; i5++)
				for (unsigned x7 = 0; x7 < 2; x7++)
					for (unsigned zi = 0; zi < 2; zi++) {
						unsigned x3 = read[i3];
						unsigned x5 = read[i5];
						unsigned z = zi ? 3 : 1;

						if (x3 == 3 &&
						    ((x5 == 1 && z == 3) ||
						     (x5 == 4 && z == 1)))
							continue;
						snprintf(want[n++], 48,
							 "1:X1=%u; 1:X3=%u; "
							 "1:X5=%u; 1:X7=%u; "
							 "[z]=%u;",
							 x1, x3, x5, x7, z);
					}
	return n;
}

TEST(litmus_reduce_order_of_writes_keeps_states)
{
	static char want[72][48];
	const char *ptr[72];
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	vmsa_litmus_result_t r;
	unsigned long handed = 0;
	unsigned n = ww_states(want);

	CHECK_EQ(n, 64);
	for (unsigned i = 0; i < n; i++)
		ptr[i] = want[i];
	o.max_executions = 0;
	CHECK_EQ(lit_run_opts(ww_test, &o, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	CHECK(r.positive >= 1);
	check_states(&r, ptr, n);
	CHECK(split_same(ww_test, &r, &handed));
	CHECK(handed > 0);
	vmsa_litmus_result_free(&r);
}
