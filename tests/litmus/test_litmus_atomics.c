/*
 * tests/litmus/test_litmus_atomics.c - atomics, exclusives and
 * acquire/release in litmus tests (src/litmus/insn.c decodes the SWP,
 * LD<op>, ST<op>, CAS, LDXR/STXR and LDAPR families; interp.c runs them
 * with vmsa_rmw, vmsa_cas_ord, vmsa_ldxr, vmsa_stxr, vmsa_read_v):
 * decoding of orderings and sizes, exact final states.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "litmus/litmus_int.h"
#include "litmus_run.h"

/* Run text with its own variant on Arm's ordering. */
static int run(const char *text, vmsa_litmus_result_t *res)
{
	return lit_run(text, NULL, false, res);
}

/* One instruction decoded: op, size, orderings, RMW operation. */
static void decode(const char *insn, enum lit_op op, unsigned size,
		   bool acq, bool rel, bool acq_pc, vmsa_rmw_op_t rmw)
{
	struct lit_insn in;
	char err[256];

	if (lit_parse_insn(NULL, "t.litmus", 1, insn, &in, err,
			   sizeof(err))) {
		vt_fail(__FILE__, __LINE__, "%s: %s", insn, err);
		return;
	}
	CHECK_MSG(in.op == op, "%s: op %d", insn, (int)in.op);
	CHECK_MSG(in.size == size, "%s: size %u", insn, in.size);
	CHECK_MSG(in.acquire == acq && in.release == rel &&
		  in.acq_pc == acq_pc, "%s: ordering %d%d%d", insn,
		  in.acquire, in.release, in.acq_pc);
	if (op == OP_RMW)
		CHECK_MSG(in.rmw == rmw, "%s: rmw %d", insn, (int)in.rmw);
}

TEST(litmus_atomics_decode)
{
	decode("SWP X1,X2,[X3]", OP_RMW, 8, 0, 0, 0, VMSA_RMW_SWP);
	decode("SWPAL W1,W2,[X3]", OP_RMW, 4, 1, 1, 0, VMSA_RMW_SWP);
	decode("SWPALB W1,W2,[X3]", OP_RMW, 1, 1, 1, 0, VMSA_RMW_SWP);
	decode("LDADDA W1,W2,[X3]", OP_RMW, 4, 1, 0, 0, VMSA_RMW_ADD);
	decode("LDSETL X1,X2,[X3]", OP_RMW, 8, 0, 1, 0, VMSA_RMW_SET);
	decode("LDCLRH W1,W2,[X3]", OP_RMW, 2, 0, 0, 0, VMSA_RMW_CLR);
	decode("LDEOR W1,W2,[X3]", OP_RMW, 4, 0, 0, 0, VMSA_RMW_EOR);
	decode("LDUMAXAL X1,X2,[X3]", OP_RMW, 8, 1, 1, 0, VMSA_RMW_UMAX);
	/* No acquire when the old value goes to ZR (C6.2.179). */
	decode("LDADDA W1,WZR,[X3]", OP_RMW, 4, 0, 0, 0, VMSA_RMW_ADD);
	decode("STCLR X1,[X3]", OP_RMW, 8, 0, 0, 0, VMSA_RMW_CLR);
	decode("STSETLB W1,[X3]", OP_RMW, 1, 0, 1, 0, VMSA_RMW_SET);
	decode("CASALH W1,W2,[X3]", OP_CAS, 2, 1, 1, 0, VMSA_RMW_SWP);
	decode("CASA X1,X2,[X3]", OP_CAS, 8, 1, 0, 0, VMSA_RMW_SWP);
	decode("LDXR W1,[X3]", OP_LDXR, 4, 0, 0, 0, VMSA_RMW_SWP);
	decode("LDAXRB W1,[X3]", OP_LDXR, 1, 1, 0, 0, VMSA_RMW_SWP);
	decode("STXR W9,X1,[X3]", OP_STXR, 8, 0, 0, 0, VMSA_RMW_SWP);
	decode("STLXR W9,W1,[X3]", OP_STXR, 4, 0, 1, 0, VMSA_RMW_SWP);
	decode("LDAPR X1,[X3]", OP_LDAR, 8, 1, 0, 1, VMSA_RMW_SWP);
	decode("LDAR W1,[X3]", OP_LDAR, 4, 1, 0, 0, VMSA_RMW_SWP);
}

/* Two LDXR/STXR increments without retry: no lost update (both
 * passing with x = 1 never happens). */
TEST(litmus_atomics_llsc_two_threads)
{
	static const char text[] =
		"AArch64 LLSC2\n{ int x=0; 0:X2=x; 1:X2=x; }\n"
		" P0              | P1              ;\n"
		" LDXR W0,[X2]    | LDXR W0,[X2]    ;\n"
		" ADD W1,W0,#1    | ADD W1,W0,#1    ;\n"
		" STXR W9,W1,[X2] | STXR W9,W1,[X2] ;\n"
		"exists (0:X9=0 /\\ 1:X9=0 /\\ x=1)\n";
	/* Both pass only with x = 2; a failure (the other's store came
	 * between, or a spurious one) leaves the other's value or 0. */
	static const char *const want[] = {
		"0:X9=0; 1:X9=0; [x]=2;", "0:X9=0; 1:X9=1; [x]=1;",
		"0:X9=1; 1:X9=0; [x]=1;", "0:X9=1; 1:X9=1; [x]=0;",
	};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	check_states(&r, want, sizeof(want) / sizeof(want[0]));
	vmsa_litmus_result_free(&r);
}

/* SWP, LDADD, STCLR and a failing and a succeeding CAS on one thread:
 * exact registers and memory. */
TEST(litmus_atomics_rmw_values)
{
	static const char text[] =
		"AArch64 RMW\n{ int x=5; int y=0xff; int z=3; 0:X2=x; 0:X3=y;\n"
		"  0:X4=z; }\n"
		" P0                ;\n"
		" MOV W1,#7         ;\n"
		" SWPAL W1,W0,[X2]  ;\n"
		" LDADD W1,W5,[X2]  ;\n"
		" MOV W6,#0xf       ;\n"
		" STCLR W6,[X3]     ;\n"
		" MOV W7,#2         ;\n"
		" MOV W8,#9         ;\n"
		" CASA W7,W8,[X4]   ;\n"
		" MOV W10,#3        ;\n"
		" CASL W10,W8,[X4]  ;\n"
		"exists (0:X0=5 /\\ 0:X5=7 /\\ x=14 /\\ y=0xf0 /\\ 0:X7=3 /\\\n"
		"        0:X10=3 /\\ z=9)\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_ALWAYS);
	CHECK_EQ(r.nstates, 1);
	vmsa_litmus_result_free(&r);
}
