/*
 * tests/litmus/test_litmus_run.c - running small hand-written litmus
 * tests: exact final states, observations and witness counts for
 * store buffering (on Arm's ordering of data accesses, the default,
 * and with --sc on sequentially consistent memory) and message passing
 * with barriers, translation faults under herd7's fault handling
 * conventions (fatal, faultToNext, handled) and a Pn.F handler that
 * resumes at a label.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "litmus_run.h"

/* Set by a test to run on sequentially consistent memory (--sc), or
 * to offer TLB conflict aborts (--conflict-aborts). */
static bool run_sc, run_conflict_aborts;

/* Run text with variant (NULL: the test's own); res filled. */
static int run(const char *text, const char *variant,
	       vmsa_litmus_result_t *res)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();

	if (variant)
		o.variant = variant;
	o.sc = run_sc;
	o.conflict_aborts = run_conflict_aborts;
	return lit_run_opts(text, &o, res);
}

/* SB without barriers: each store may still be in flight when the
 * other thread's load reads (B2.3: no order from a store to a later
 * load of another location), so the 0/0 outcome is Allowed, as herd7
 * says. */
TEST(litmus_run_sb)
{
	static const char sb[] =
		"AArch64 SB\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | MOV W0,#1   ;\n"
		" STR W0,[X1] | STR W0,[X1] ;\n"
		" LDR W2,[X3] | LDR W2,[X3] ;\n"
		"exists (0:X2=0 /\\ 1:X2=0)\n";
	static const char *const want[] = {
		"0:X2=0; 1:X2=0;", "0:X2=0; 1:X2=1;", "0:X2=1; 1:X2=0;",
		"0:X2=1; 1:X2=1;"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(sb, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	CHECK(r.ok);
	check_states(&r, want, 4);
	CHECK(r.positive > 0 && r.negative > 0);
	CHECK_EQ(r.positive + r.negative, r.executions);
	CHECK_STR(r.config, "default+relaxed");
	vmsa_litmus_result_free(&r);
}

TEST(litmus_run_sb_sc)
{
	static const char sb[] =
		"AArch64 SB\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | MOV W0,#1   ;\n"
		" STR W0,[X1] | STR W0,[X1] ;\n"
		" LDR W2,[X3] | LDR W2,[X3] ;\n"
		"exists (0:X2=0 /\\ 1:X2=0)\n";
	static const char *const want[] = {
		"0:X2=0; 1:X2=1;", "0:X2=1; 1:X2=0;", "0:X2=1; 1:X2=1;"};
	vmsa_litmus_result_t r;

	run_sc = true;
	CHECK_EQ(run(sb, NULL, &r), 0);
	run_sc = false;
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	CHECK(!r.ok);
	CHECK_STR(r.kind, "Allowed");
	CHECK_STR(r.condition, "exists (0:X2=0 /\\ 1:X2=0)");
	check_states(&r, want, 3);
	CHECK_EQ(r.positive, 0);
	CHECK_EQ(r.negative, r.executions);
	CHECK_STR(r.variant, "vmsa,fatal");
	CHECK_STR(r.config, "default");
	vmsa_litmus_result_free(&r);
}

TEST(litmus_run_mp_forbidden)
{
	static const char mp[] =
		"AArch64 MP\n{ 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | LDR W2,[X3] ;\n"
		" STR W0,[X1] | DMB LD      ;\n"
		" DMB ST      | LDR W4,[X1] ;\n"
		" STR W0,[X3] |             ;\n"
		"~exists (1:X2=1 /\\ 1:X4=0)\n";
	static const char *const want[] = {
		"1:X2=0; 1:X4=0;", "1:X2=0; 1:X4=1;", "1:X2=1; 1:X4=1;"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(mp, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	CHECK(r.ok);
	CHECK_STR(r.kind, "Forbidden");
	check_states(&r, want, 3);
	CHECK_EQ(r.negative, 0);
	vmsa_litmus_result_free(&r);
}

/* An invalid PTE: the load faults every time, and with `fatal` the
 * thread ends there: X0 keeps its initial 7 and the next store never
 * happens. */
static const char fault_test[] =
	"AArch64 F\n{ [PTE(x)]=(oa:PA(x), valid:0); 0:X1=x; 0:X2=y;\n"
	"  0:X0=7; }\n"
	" P0          ;\n"
	"L0:          ;\n"
	" LDR W0,[X1] ;\n"
	" MOV W3,#1   ;\n"
	" STR W3,[X2] ;\n"
	"forall (fault(P0:L0,x,MMU:Translation) /\\ 0:X0=7 /\\ y=0)\n";

TEST(litmus_run_fault_fatal)
{
	static const char *const want[] = {
		"0:X0=7; [y]=0; Fault(P0:L0,x,MMU:Translation);"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(fault_test, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_ALWAYS);
	CHECK(r.ok);
	CHECK_STR(r.kind, "Required");
	check_states(&r, want, 1);
	CHECK_EQ(r.executions, 1);
	CHECK_EQ(r.positive, 1);
	vmsa_litmus_result_free(&r);
}

/* faultToNext: the load is skipped, the store happens. */
TEST(litmus_run_fault_to_next)
{
	static const char *const want[] = {
		"0:X0=7; [y]=1; Fault(P0:L0,x,MMU:Translation);"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(fault_test, "vmsa,faulttonext", &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	check_states(&r, want, 1);
	CHECK_STR(r.variant, "vmsa,faulttonext");
	vmsa_litmus_result_free(&r);
}

/* handled (imprecise): the load runs again and faults again, which
 * makes herd7 drop the execution: no state at all. */
TEST(litmus_run_fault_handled_dropped)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(run(fault_test, "vmsa,handled", &r), 0);
	CHECK_EQ(r.nstates, 0);
	CHECK_EQ(r.discarded, 1);
	CHECK_EQ(r.prop_true + r.prop_false, 0);
	vmsa_litmus_result_free(&r);
}

/* A permission fault (db:0) with a P0.F handler that resumes at L1:
 * the store is not performed, X9 holds the label. */
TEST(litmus_run_handler_eret_to_label)
{
	static const char text[] =
		"AArch64 H\n{ [PTE(x)]=(oa:PA(x), db:0); 0:X1=x; }\n"
		" P0          | P0.F           ;\n"
		" MOV W0,#1   | ADR X9,L1      ;\n"
		"L0:          | MSR ELR_EL1,X9 ;\n"
		" STR W0,[X1] | ERET           ;\n"
		" MOV W2,#2   |                ;\n"
		"L1:          |                ;\n"
		" MOV W3,#3   |                ;\n"
		"forall (0:X9=label:\"P0:L1\" /\\ 0:X2=0 /\\ 0:X3=3 /\\ x=0 /\\ "
		"fault(P0:L0,x,MMU:Permission))\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_ALWAYS);
	CHECK_EQ(r.nstates, 1);
	if (r.nstates)
		CHECK_STR(r.states[0], "0:X2=0; 0:X3=3; 0:X9=label:\"P0:L1\"; "
			  "[x]=0; Fault(P0:L0,x,MMU:Permission);");
	vmsa_litmus_result_free(&r);
}

/* A descriptor store through pte_x's VA, observed as a record. */
TEST(litmus_run_pte_store)
{
	static const char text[] =
		"AArch64 P\n{ pteval_t 0:X0=(oa:PA(y), valid:0); 0:X1=PTE(x); }\n"
		" P0          ;\n"
		" STR X0,[X1] ;\n"
		" LDR X2,[X1] ;\n"
		"forall (pte_x=(oa:PA(y), valid:0) /\\ 0:X2=(oa:PA(y), valid:0))\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_ALWAYS);
	CHECK_EQ(r.nstates, 1);
	if (r.nstates)
		CHECK_STR(r.states[0], "0:X2=(oa:PA(y), valid:0); "
			  "[PTE(x)]=(oa:PA(y), valid:0);");
	vmsa_litmus_result_free(&r);
}

/* Unsupported things are reported, never run: MTE, a bad variant. */
/*
 * CoRR through a retired entry: P2's first read of x uses the read-only
 * entry P1's TLBI retires, and so may go before that TLBI; a filter of
 * the writes it may then read can leave only x's initial value. The read
 * must return that value with its timestamp: it returned memory's newest
 * value (P0's 1) with the initial write's timestamp, so P2's coherence
 * view stayed behind what it read and its second read could read 0 after
 * 1 (coherence order, B2.3: two reads of one location in program order
 * read writes in coherence order). The states without 1 then 0 only.
 */
TEST(litmus_run_corr_through_retired_entry)
{
	static const char text[] =
		"AArch64 CoRR-ro-tlbi\n"
		"{\n"
		"pte_x=(db:0);\n"
		"0:X1=x;\n"
		"1:X0=pte_x; 1:X1=(oa:phy_x); 1:X2=x;\n"
		"2:X1=x;\n"
		"}\n"
		" P0          | P1              | P2          ;\n"
		" MOV W0,#1   | STR X1,[X0]     | LDR W0,[X1] ;\n"
		" STR W0,[X1] | DSB ISH         | LDR W2,[X1] ;\n"
		"             | LSR X3,X2,#12   |             ;\n"
		"             | TLBI VAAE1IS,X3 |             ;\n"
		"             | DSB ISH         |             ;\n"
		"exists (2:X0=1 /\\ 2:X2=0)\n";
	static const char *const want[] = {
		"2:X0=0; 2:X2=0;", "2:X0=0; 2:X2=1;", "2:X0=1; 2:X2=1;",
	};

	/* 387 and 2586 before 2026-12-07's same-low-order-bits rule
	 * (translate.c, fresh_since), 423 and 2857 before a fault from a
	 * TLB entry was ordered by the TLBI that removes it (access.c,
	 * fault_xlat): the same states. */
	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 431, want, 3);
	/* P0's store retried after its permission fault. */
	lit_expect(text, "vmsa,handled", VMSA_LITMUS_NEVER, 0, 2892, want, 3);
}

/*
 * A retired entry that cannot translate the address a walk is for
 * (translate.c, retired_leaves()): P1's broadcast TLBI of a retires the
 * entry of a that P0's TLB may hold into P0, and P0's store to flag
 * after it translates with that set. Only an entry that can hit is
 * compared with the order of writes and the TLBI issuer's later steps
 * (order_retired_ok(), which records what it reads): looked at first for
 * every retired entry, P0's store would depend on P1's steps and the
 * search would make more executions (12 against 8 before P1's TLBI took
 * a choice of places in memory's order, order.c fence_place: 10 now),
 * the same states.
 */
TEST(litmus_run_retired_entry_no_hit)
{
	static const char text[] =
		"AArch64 retired-no-hit\n"
		"{\n"
		"pte_a=(valid:1);\n"
		"0:X0=(oa:phy_a,valid:0); 0:X1=pte_a; 0:X2=flag;\n"
		"1:X2=flag; 1:X5=a;\n"
		"}\n"
		" P0          | P1              ;\n"
		" STR X0,[X1] | LDR W3,[X2]     ;\n"
		" DMB ST      | DSB LD          ;\n"
		" MOV W4,#1   | LSR X6,X5,#12   ;\n"
		" STR W4,[X2] | TLBI VAAE1IS,X6 ;\n"
		"             | DSB ISH         ;\n"
		"             | ISB             ;\n"
		"             |L1:              ;\n"
		"             | LDR W7,[X5]     ;\n"
		"exists (1:X3=1 /\\ ~fault(P1:L1,a))\n";
	static const char *const want[] = {
		"1:X3=0; Fault(P1:L1,a);", "1:X3=0; ~Fault(P1:L1,a);",
		"1:X3=1; Fault(P1:L1,a);",
	};

	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 10, want, 3);
	lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 10, want,
		   3);
}

TEST(litmus_run_unsupported)
{
	static const char stg[] =
		"AArch64 S\n{ 0:X1=x; }\n P0 ;\n STG X0,[X1] ;\n"
		"exists (0:X2=0)\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(stg, NULL, &r), -ENOTSUP);
	CHECK_EQ(r.outcome, VMSA_LITMUS_UNSUPPORTED);
	CHECK_STR(r.error, "t.litmus:4: unsupported: a tagged address "
		  "(x:colour) or STG without the variant memtag (herd7 gives "
		  "them no meaning then)");
	vmsa_litmus_result_free(&r);
	CHECK_EQ(run(fault_test, "vmsa,bogus", &r), -EINVAL);
	CHECK_STR(r.error, "--variant: unsupported variant 'bogus' (known: "
		  "vmsa, fatal, precise, handled, imprecise, faulttonext, "
		  "ets2, ets3, memtag, sync)");
	vmsa_litmus_result_free(&r);
}

/* The locations list may name a location the init section does not
 * (herd7 prints it, 0); the final condition may not (test_litmus_parse.c). */
TEST(litmus_run_locations_new_location)
{
	static const char text[] =
		"AArch64 M\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n"
		"locations [y;]\nexists (0:X0=0)\n";
	static const char *const want[] = {"0:X0=0; [y]=0;"};

	lit_expect(text, NULL, VMSA_LITMUS_ALWAYS, 1, 0, want, 1);
}

/* herd7's implication a => b in a final condition: tighter than /\ and
 * \/, right-associative (herd7 gives the same observations). */
TEST(litmus_run_implication)
{
	static const char tighter[] =
		"AArch64 M\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n"
		"exists (0:X0=1 => 0:X0=2 /\\ 0:X0=5)\n";
	static const char right[] =
		"AArch64 M\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n"
		"exists (0:X0=1 => 0:X0=0 => 0:X0=2)\n";
	static const char *const zero[] = {"0:X0=0;"};
	vmsa_litmus_result_t r;

	/* (false => ...) /\ false: never; as false => (... /\ ...) it
	 * would hold. */
	lit_expect(tighter, NULL, VMSA_LITMUS_NEVER, 0, 1, zero, 1);
	/* false => (true => false): always; as (false => true) => false it
	 * would not. */
	lit_expect(right, NULL, VMSA_LITMUS_ALWAYS, 1, 0, zero, 1);
	CHECK_EQ(run(right, NULL, &r), 0);
	CHECK_STR(r.condition, "exists (0:X0=1 => 0:X0=0 => 0:X0=2)");
	vmsa_litmus_result_free(&r);
}

/* The final condition printed as herd7 prints it (the Condition line,
 * JSON's "condition"): chains of /\ and of \/ flat whatever their
 * grouping, /\ under \/ bare, \/ under /\ in parentheses, => in
 * parentheses under /\ and \/ and on its left, right-nested bare. Each
 * pair is herd7's output for the condition (herdtools7 5feffe4e8);
 * until 2026-12-07 every binary operand was parenthesised. */
TEST(litmus_run_condition_text)
{
	static const char *const cases[][2] = {
		{"(0:X0=0 /\\ 0:X1=0) /\\ 0:X2=0",
		 "0:X0=0 /\\ 0:X1=0 /\\ 0:X2=0"},
		{"0:X0=0 /\\ (0:X1=0 /\\ 0:X2=0)",
		 "0:X0=0 /\\ 0:X1=0 /\\ 0:X2=0"},
		{"0:X0=0 /\\ (0:X1=0 \\/ 0:X2=0)",
		 "0:X0=0 /\\ (0:X1=0 \\/ 0:X2=0)"},
		{"0:X0=0 \\/ 0:X1=0 /\\ 0:X2=0",
		 "0:X0=0 \\/ 0:X1=0 /\\ 0:X2=0"},
		{"(0:X0=0 \\/ 0:X1=0) /\\ 0:X2=0",
		 "(0:X0=0 \\/ 0:X1=0) /\\ 0:X2=0"},
		{"0:X0=0 \\/ 0:X1=0 \\/ 0:X2=1",
		 "0:X0=0 \\/ 0:X1=0 \\/ 0:X2=1"},
		{"0:X0=0 => 0:X1=0 /\\ 0:X2=0",
		 "(0:X0=0 => 0:X1=0) /\\ 0:X2=0"},
		{"0:X0=1 \\/ (0:X0=0 => 0:X0=2)",
		 "0:X0=1 \\/ (0:X0=0 => 0:X0=2)"},
		{"(0:X0=1 /\\ 0:X1=0) => 0:X0=2",
		 "(0:X0=1 /\\ 0:X1=0) => 0:X0=2"},
		{"not (0:X0=1) /\\ true", "not (0:X0=1) /\\ true"},
	};
	char text[256], want[160];
	vmsa_litmus_result_t r;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "AArch64 C\n{ 0:X1=x; }\n P0 ;\n"
			 " LDR W0,[X1] ;\nexists (%s)\n", cases[i][0]);
		snprintf(want, sizeof(want), "exists (%s)", cases[i][1]);
		CHECK_EQ(run(text, NULL, &r), 0);
		CHECK_STR(r.condition, want);
		vmsa_litmus_result_free(&r);
	}
}

/* A one-thread test: init section c[0], P0's rows c[1], exists (c[2]);
 * Always, its one final state `state` (herd7's). */
static void expect_p0_always(const char *const c[3], const char *state)
{
	char text[256];

	snprintf(text, sizeof(text), "AArch64 T\n{ %s }\n P0 ;\n%s\n"
		 "exists (%s)\n", c[0], c[1], c[2]);
	lit_expect(text, NULL, VMSA_LITMUS_ALWAYS, 1, 0, &state, 1);
}

/* A register's final value is observed at its type, as herd7 does: int
 * by default (the low 32 bits, signed: MOV W0,#-5 is -5, and a 64-bit
 * result 0x100000000 is 0; the condition's number compared as 32 bits,
 * so 0:X0=-1 and 0:X0=4294967295 both hold for an int -1), the whole
 * value for a register declared int64_t (MOV W0,#-1 zero-extends:
 * 4294967295, not -1); an int location's value is signed too ([x]=-1),
 * while uint32_t and uint64_t ones (locations and registers) print
 * unsigned. Each case's states and observation are herd7's. Before 2026-12-07
 * registers were 64-bit whatever their type: 0:X0=-1 after a load of an
 * int -1 was Never where herd7 says Always. */
TEST(litmus_run_register_types)
{
	static const char *const cases[][3] = {
		{"int x=-1; 0:X1=x;", " LDR W0,[X1] ;", "0:X0=-1"},
		{"int x=-1; 0:X1=x;", " LDR W0,[X1] ;", "0:X0=4294967295"},
		{"int x; 0:X1=x;", " MOV W0,#-5 ;", "0:X0=-5"},
		{"int x; 0:X1=x;", " MOV W0,#-1 ;\n ADD X2,X0,#1 ;",
		 "0:X2=4294967296"},
		{"int x; 0:X1=x;", " MOV X0,#4294967296 ;", "0:X0=0"},
		{"int64_t 0:X0; int x; 0:X1=x;", " MOV W0,#-1 ;",
		 "0:X0=4294967295"},
		{"int x; 0:X1=x; 0:X2=-1;", " STR W2,[X1] ;", "[x]=-1"},
		/* Unsigned types print unsigned, as herd7 prints them. */
		{"uint32_t x; 0:X1=x; 0:X2=-1;", " STR W2,[X1] ;",
		 "[x]=4294967295"},
		{"uint64_t x; 0:X1=x; uint64_t 0:X2=-1;", " STR X2,[X1] ;",
		 "[x]=-1"},
		{"int32_t x; 0:X1=x; uint32_t 0:X2=4294967295;",
		 " STR W2,[X1] ;", "0:X2=-1"},
		{"uint32_t x=4294967295; 0:X1=x;", " LDR W0,[X1] ;",
		 "0:X0=-1"},
	};
	static const char addr[] =
		"AArch64 T\n{ int x; 0:X1=x; }\n P0 ;\n MOV X0,#4 ;\n"
		" ADD X2,X1,X0 ;\nexists (0:X2=x)\n";
	static const char *const addr_state[] = {"0:X2=x+4;"};
	static const char *const states[] = {
		"0:X0=-1;", "0:X0=-1;", "0:X0=-5;", "0:X2=0;", "0:X0=0;",
		"0:X0=4294967295;", "[x]=-1;", "[x]=4294967295;",
		"[x]=18446744073709551615;", "0:X2=4294967295;", "0:X0=-1;"};
	static const char never[] =
		"AArch64 T\n{ int64_t 0:X0; int x; 0:X1=x; }\n P0 ;\n"
		" MOV W0,#-1 ;\nexists (0:X0=-1)\n";
	static const char *const wide[] = {"0:X0=4294967295;"};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_p0_always(cases[i], states[i]);
	lit_expect(never, NULL, VMSA_LITMUS_NEVER, 0, 1, wide, 1);
	/* An address inside x's page prints as herd7 prints it, x+4, and
	 * is observed whole (not an int's 32 bits). */
	lit_expect(addr, NULL, VMSA_LITMUS_NEVER, 0, 1, addr_state, 1);
}

/* An access past its location's bytes (x+4 of an int x by a register
 * offset, x+12 of an int x[3] by an immediate): herd7 has no execution
 * with the first (-variant vmsa: Never, 0 executions) and rejects the
 * second ("mixed-size test rejected (symbol [PA(x)+12])"), where the
 * model read the page's other bytes (0). Unsupported since 2026-12-07,
 * with the line; an element of an array, x+8 of x[3], runs. */
TEST(litmus_run_past_location)
{
	static const char reg[] =
		"AArch64 P\n{ int x=1; int y=2; 0:X1=x; 0:X2=4; }\n P0 ;\n"
		" LDR W0,[X1,X2] ;\nexists (0:X0=2)\n";
	static const char arr[] =
		"AArch64 P\n{ int x[3]; 0:X1=x; 0:X2=5; }\n P0 ;\n"
		" STR W2,[X1,#8] ;\n STR W2,[X1,#12] ;\nexists (x[2]=5)\n";
	static const char in[] =
		"AArch64 P\n{ int x[3]; 0:X1=x; 0:X2=5; }\n P0 ;\n"
		" STR W2,[X1,#8] ;\nexists (x[2]=5)\n";
	static const char *const five[] = {"x[2]=5;"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(reg, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus:4: unsupported: this access reaches past "
		  "its location's bytes (herd7 has no execution with it)");
	vmsa_litmus_result_free(&r);
	CHECK_EQ(run(arr, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus:5: unsupported: this access reaches past "
		  "its location's bytes (herd7 has no execution with it)");
	vmsa_litmus_result_free(&r);
	lit_expect(in, NULL, VMSA_LITMUS_ALWAYS, 1, 0, five, 1);
}

/* NEG, MVN and MOVZ, run as SUB from ZR, EOR with all ones and MOV,
 * and CSINC, CSINV and CSNEG (CSEL with the second register's value
 * incremented, inverted or negated): herd7's final states for each
 * (-variant vmsa). Unknown instructions before 2026-12-07. */
TEST(litmus_run_aliases)
{
	static const char loaded[] =
		"AArch64 N\n{ int x=7; 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n"
		" NEG W2,W0 ;\n MVN W3,W0 ;\nexists (0:X2=-7 /\\ 0:X3=-8)\n";
	static const char wide[] =
		"AArch64 N\n{ int64_t 0:X0; int64_t 0:X2; }\n P0 ;\n"
		" MOVZ X0,#3,LSL #32 ;\n NEG W2,W0 ;\n"
		"exists (0:X0=12884901888 /\\ 0:X2=0)\n";
	static const char narrow[] =
		"AArch64 N\n{ int64_t 0:X2; }\n P0 ;\n MOV W0,#5 ;\n"
		" NEG W2,W0 ;\nexists (0:X2=4294967291)\n";
	static const char *const s1[] = {"0:X2=-7; 0:X3=-8;"};
	static const char *const s2[] = {"0:X0=12884901888; 0:X2=0;"};
	static const char *const s3[] = {"0:X2=4294967291;"};
	static const char csel[] =
		"AArch64 N\n{ int64_t 0:X3; }\n P0 ;\n MOV W0,#1 ;\n"
		" CMP W0,#2 ;\n CSINC W2,W0,W0,EQ ;\n CSINV X3,X0,X0,EQ ;\n"
		" CSNEG W4,W0,W0,EQ ;\n CSINC W5,W0,W0,NE ;\n"
		"exists (0:X2=2 /\\ 0:X3=-2 /\\ 0:X4=-1 /\\ 0:X5=1)\n";
	static const char *const s4[] = {"0:X2=2; 0:X3=-2; 0:X4=-1; 0:X5=1;"};

	lit_expect(loaded, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s1, 1);
	lit_expect(wide, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s2, 1);
	lit_expect(narrow, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s3, 1);
	lit_expect(csel, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s4, 1);
}

/* Byte and halfword locations (char, int8_t, uint8_t, short, int16_t,
 * uint16_t) and their accesses (LDRB, STRB, LDRH, STRH, LDARB, STLRB,
 * ...; W registers only): loads zero-extend, a signed location prints
 * signed, a number in the condition is compared at the location's size.
 * Each case's state and observation are herd7's (-variant vmsa); MP of
 * bytes with DMBs is Never there too. A plain LDR of a byte location is
 * mixed-size (unsupported, as herd7 rejects it). Parse errors before
 * 2026-12-07 (unknown type, unknown instruction). */
TEST(litmus_run_bytes)
{
	static const char *const cases[][3] = {
		{"uint8_t x=255; 0:X1=x;", " LDRB W0,[X1] ;", "0:X0=255"},
		{"int8_t x=-1; 0:X1=x;", " LDRB W0,[X1] ;", "0:X0=255"},
		{"int8_t x; 0:X1=x; 0:X2=-1;", " STRB W2,[X1] ;", "[x]=-1"},
		{"uint16_t x; 0:X1=x; 0:X2=70000;", " STRH W2,[X1] ;",
		 "[x]=4464"},
		{"int16_t x=-2; 0:X1=x;", " LDARH W0,[X1] ;", "0:X0=65534"},
		{"uint8_t x; 0:X1=x; 0:X2=1;", " STLRB W2,[X1] ;", "[x]=1"},
	};
	static const char *const states[] = {
		"0:X0=255;", "0:X0=255;", "[x]=-1;", "[x]=4464;", "0:X0=65534;",
		"[x]=1;"};
	static const char mp[] =
		"AArch64 B\n{ uint8_t x; uint8_t y; 0:X1=x; 0:X2=y; 1:X1=x;"
		" 1:X2=y; 0:X3=1; }\n"
		" P0           | P1           ;\n"
		" STRB W3,[X1] | LDRB W0,[X2] ;\n"
		" DMB SY       | DMB SY       ;\n"
		" STRB W3,[X2] | LDRB W4,[X1] ;\n"
		"exists (1:X0=1 /\\ 1:X4=0)\n";
	static const char *const mp_states[] = {
		"1:X0=0; 1:X4=0;", "1:X0=0; 1:X4=1;", "1:X0=1; 1:X4=1;"};
	static const char wide[] =
		"AArch64 B\n{ uint8_t x; 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n"
		"exists (0:X0=0)\n";
	vmsa_litmus_result_t r;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_p0_always(cases[i], states[i]);
	lit_expect(mp, NULL, VMSA_LITMUS_NEVER, 0, 3, mp_states, 3);
	CHECK_EQ(run(wide, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus:4: unsupported: an access whose size is "
		  "not its location's (a W register on a 64-bit location, an X "
		  "register on an int one, a byte or halfword access on a wider "
		  "one; herd7: \"Illegal mixed-size test\")");
	vmsa_litmus_result_free(&r);
}

/* LDR/STR with pre-index ([Xn,#imm]!) and post-index ([Xn],#imm)
 * writeback: herd7's final states (-variant vmsa), and LB through a store
 * whose address the writeback gave (the promise scan follows it: herd7's
 * 4 states, Sometimes). A parse error before 2026-12-07. */
TEST(litmus_run_writeback)
{
	static const char post[] =
		"AArch64 W\n{ int x[3]={1,2,3}; 0:X1=x; }\n P0 ;\n"
		" LDR W0,[X1],#4 ;\n LDR W2,[X1],#4 ;\n LDR W3,[X1] ;\n"
		"locations [0:X1;]\n"
		"exists (0:X0=1 /\\ 0:X2=2 /\\ 0:X3=3)\n";
	static const char pre[] =
		"AArch64 W\n{ int x[3]={1,2,3}; 0:X1=x; }\n P0 ;\n"
		" LDR W0,[X1,#4]! ;\n LDR W2,[X1,#4]! ;\n"
		"exists (0:X0=2 /\\ 0:X2=3)\n";
	static const char store[] =
		"AArch64 W\n{ int x[2]; 0:X1=x; 0:X2=7; }\n P0 ;\n"
		" STR W2,[X1],#4 ;\n STR W2,[X1] ;\n"
		"exists (x[0]=7 /\\ x[1]=7)\n";
	static const char lb[] =
		"AArch64 W\n{ int x; int y[2]; 0:X1=x; 0:X2=y; 0:X3=1; 1:X1=y;"
		" 1:X2=x; 1:X3=1; }\n"
		" P0             | P1             ;\n"
		" LDR W0,[X1]    | LDR W0,[X1,#4] ;\n"
		" STR W3,[X2],#4 | STR W3,[X2]    ;\n"
		" STR W3,[X2]    |                ;\n"
		"exists (0:X0=1 /\\ 1:X0=1)\n";
	static const char *const s_post[] = {"0:X0=1; 0:X1=x+8; 0:X2=2; 0:X3=3;"};
	static const char *const s_pre[] = {"0:X0=2; 0:X2=3;"};
	static const char *const s_store[] = {"x[0]=7; x[1]=7;"};
	static const char *const s_lb[] = {
		"0:X0=0; 1:X0=0;", "0:X0=0; 1:X0=1;", "0:X0=1; 1:X0=0;",
		"0:X0=1; 1:X0=1;"};
	vmsa_litmus_result_t r;

	lit_expect(post, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s_post, 1);
	lit_expect(pre, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s_pre, 1);
	lit_expect(store, NULL, VMSA_LITMUS_ALWAYS, 1, 0, s_store, 1);
	CHECK_EQ(run(lb, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	CHECK_EQ(r.nstates, 4);
	for (unsigned i = 0; i < 4 && i < r.nstates; i++)
		CHECK_STR(r.states[i], s_lb[i]);
	vmsa_litmus_result_free(&r);
}

/* An array's elements in the final condition and the locations list:
 * x[i] reads element i (herd7 prints it x[i]=v, after [y]: the printed
 * names' order). MP through x[1] and y: herd7 -variant vmsa gives the
 * same 2 states and 1 of 3 witnesses. Before 2026-12-07 x[1] was a
 * parse error. */
TEST(litmus_run_array_elements)
{
	static const char mp[] =
		"AArch64 A\n{ int x[3]; int y;\n"
		" 0:X1=x; 0:X2=1; 0:X3=y; 1:X1=x; 1:X3=y; }\n"
		" P0             | P1             ;\n"
		" STR W2,[X1,#4] | LDR W0,[X3]    ;\n"
		" DMB SY         | DMB SY         ;\n"
		" STR W2,[X3]    | LDR W4,[X1,#4] ;\n"
		"locations [y;x[1];x[0];]\n"
		"exists (x[1]=1 /\\ 1:X0=1)\n";
	static const char *const states[] = {
		"1:X0=0; [y]=1; x[0]=0; x[1]=1;",
		"1:X0=1; [y]=1; x[0]=0; x[1]=1;"};
	vmsa_litmus_result_t r;

	lit_expect(mp, NULL, VMSA_LITMUS_SOMETIMES, 1, 2, states, 2);
	CHECK_EQ(run(mp, NULL, &r), 0);
	CHECK_STR(r.condition, "exists (x[1]=1 /\\ 1:X0=1)");
	vmsa_litmus_result_free(&r);
}

/* An access whose size is not its location's: herd7 rejects the test
 * ("Illegal mixed-size test"), so vmsa does not answer it (it answered
 * before, with the bytes its model gave). A 64-bit location read whole
 * is fine. */
TEST(litmus_run_mixed_size)
{
	static const char wide[] =
		"AArch64 M\n{ 0:X1=x; }\n P0 ;\n LDR X0,[X1] ;\n"
		"exists (0:X0=0)\n";
	static const char narrow[] =
		"AArch64 M\n{ uint64_t x; 0:X1=x; }\n P0 ;\n NOP ;\n"
		" LDR W0,[X1] ;\nexists (0:X0=0)\n";
	static const char whole[] =
		"AArch64 M\n{ uint64_t x; 0:X1=x; }\n P0 ;\n LDR X0,[X1] ;\n"
		"exists (0:X0=0)\n";
	static const char *const zero[] = {"0:X0=0;"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(wide, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus:4: unsupported: an access whose size is "
		  "not its location's (a W register on a 64-bit location, an X "
		  "register on an int one, a byte or halfword access on a wider "
		  "one; herd7: \"Illegal mixed-size test\")");
	vmsa_litmus_result_free(&r);
	CHECK_EQ(run(narrow, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus:5: unsupported: an access whose size is "
		  "not its location's (a W register on a 64-bit location, an X "
		  "register on an int one, a byte or halfword access on a wider "
		  "one; herd7: \"Illegal mixed-size test\")");
	vmsa_litmus_result_free(&r);
	lit_expect(whole, NULL, VMSA_LITMUS_ALWAYS, 1, 0, zero, 1);
}

/* What the promise scan cannot offer makes the test unsupported, with
 * its reason (promise.c, run.c): never a promise left out. */
TEST(litmus_run_unsupported_promises)
{
	static const char five[] =
		"AArch64 F\n{ 0:X1=y; 0:X2=x; 1:X1=x; }\n P0 | P1 ;\n"
		" LDR W0,[X1] | LDR W4,[X1] ;\n MOV W3,#1 | ;\n"
		"L0: | ;\n STR W3,[X2] | ;\n ADD W3,W3,#1 | ;\n"
		" CMP W3,#6 | ;\n B.NE L0 | ;\nexists (0:X0=0)\n";
	static const char hu[] =
		"AArch64 H\nTTHM=HA HD\n{ pte_x=(db:0,dbm:1); "
		"pte_y=(db:0,dbm:1); pte_z=(db:0,dbm:1); 0:X1=w; 0:X2=x; "
		"0:X3=y; 0:X4=z; 1:X5=pte_x; }\n P0 | P1 ;\n"
		" LDR W0,[X1] | LDR X6,[X5] ;\n MOV W9,#1 | ;\n"
		" STR W9,[X2] | ;\n STR W9,[X3] | ;\n STR W9,[X4] | ;\n"
		"exists (0:X0=0)\n";
	static const char elr[] =
		"AArch64 E\n{ int z; [PTE(z)]=(valid:0); uint64_t y; 0:X1=y; "
		"0:X2=x; "
		"0:X4=z; 1:X1=x; }\n P0 | P0.F | P1 ;\n"
		" LDR X0,[X1] | LDR X9,[X1] | LDR W4,[X1] ;\n"
		" MOV W3,#1 | MSR ELR_EL1,X9 | ;\n STR W3,[X4] | ERET | ;\n"
		" STR W3,[X2] | | ;\nexists (0:X0=0)\n";
	static const char huaddr[] =
		"AArch64 A\nTTHM=HA HD\n{ pte_x=(db:0,dbm:1); uint64_t w; "
		"0:X1=y; 0:X2=w; 1:X5=pte_x; }\n P0 | P1 ;\n"
		" LDR W0,[X1] | LDR X6,[X5] ;\n LDR X3,[X2] | ;\n"
		" STR W0,[X3] | ;\nexists (0:X0=0)\n";
	char paths[2048];
	vmsa_litmus_result_t r;
	int n;

	CHECK_EQ(run(five, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus: unsupported: P0 has 5 stores after "
		  "unordered reads (load buffering: at most 4 promises per "
		  "thread)");
	vmsa_litmus_result_free(&r);
	CHECK_EQ(run(hu, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus: unsupported: P0's hardware updates of "
		  "3 pages may need promises (load buffering: at most 2 per "
		  "thread)");
	vmsa_litmus_result_free(&r);
	/* A write through a loaded address after a read: which page's
	 * dirty state it may set early cannot be told. */
	CHECK_EQ(run(huaddr, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus: unsupported: P0 writes a page that "
		  "comes from a load, whose hardware update may need a "
		  "promise (load buffering)");
	vmsa_litmus_result_free(&r);
	CHECK_EQ(run(elr, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus: unsupported: P0's fault handler "
		  "returns to an address that comes from a load (the stores "
		  "it may promise cannot be told)");
	vmsa_litmus_result_free(&r);
	/* 17 branches on a loaded value in a row: 131,072 paths, past the
	 * scan's budget. */
	n = snprintf(paths, sizeof(paths), "AArch64 D\n{ 0:X1=y; 0:X2=x; "
		     "1:X1=x; }\n P0 | P1 ;\n LDR W0,[X1] | LDR W4,[X1] ;\n");
	for (int i = 1; i <= 17; i++)
		n += snprintf(paths + n, sizeof(paths) - (size_t)n,
			      " CBZ W0,L%d | ;\n NOP | ;\nL%d: | ;\n", i, i);
	snprintf(paths + n, sizeof(paths) - (size_t)n,
		 " MOV W3,#1 | ;\n STR W3,[X2] | ;\nexists (0:X0=0)\n");
	CHECK_EQ(run(paths, NULL, &r), -ENOTSUP);
	CHECK_STR(r.error, "t.litmus: unsupported: P0's code has too many "
		  "paths (branches, loops, faults; or a loop that does not "
		  "end) or stores to find those it may promise (load "
		  "buffering)");
	vmsa_litmus_result_free(&r);
}

/* A test's own unknown variant is unsupported with its reason (it was
 * printed empty: the message was formatted from itself). */
TEST(litmus_run_unsupported_test_variant)
{
	static const char text[] =
		"AArch64 M\nVariant=memtag,async\n{ 0:X1=x; }\n P0 ;\n"
		" LDR W0,[X1] ;\nexists (0:X0=0)\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, NULL, &r), -ENOTSUP);
	CHECK_EQ(r.outcome, VMSA_LITMUS_UNSUPPORTED);
	CHECK_STR(r.error, "t.litmus: unsupported variant 'async' (known: "
		  "vmsa, fatal, precise, handled, imprecise, faulttonext, "
		  "ets2, ets3, memtag, sync)");
	vmsa_litmus_result_free(&r);
}

/* P0 changes x's output address on a read-only entry whose pages
 * differ in contents (RWHZWS) without break-before-make; P1 reads x.
 * As in herd7, no execution takes a TLB conflict abort by default: P1
 * reads the old page (1) or the new one (2), never faults. With
 * conflict_aborts the abort is one of the choices after the failure
 * (D8.17.1), taken as a fatal fault: P1's X0 stays 0. */
static const char bbm_test[] =
	"AArch64 CAB\n{ [x]=1; [y]=2; [PTE(x)]=(oa:PA(x),db:0);\n"
	" 0:X4=(oa:PA(y),db:0); 0:X5=PTE(x); 1:X1=x; }\n"
	" P0          | P1          ;\n"
	" STR X4,[X5] | LDR W0,[X1] ;\n"
	"locations [fault(P1,x);]\n"
	"exists (1:X0=0)\n";

TEST(litmus_run_bbm_no_conflict_abort)
{
	static const char *const want[] = {
		"1:X0=1; ~Fault(P1,x);", "1:X0=2; ~Fault(P1,x);"};
	vmsa_litmus_result_t r;

	CHECK_EQ(run(bbm_test, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_NEVER);
	check_states(&r, want, 2);
	CHECK_EQ(r.executions, 3);
	CHECK_EQ(r.positive, 0);
	vmsa_litmus_result_free(&r);
}

TEST(litmus_run_bbm_conflict_abort_fatal)
{
	static const char *const want[] = {
		"1:X0=0; Fault(P1,x);", "1:X0=1; ~Fault(P1,x);",
		"1:X0=2; ~Fault(P1,x);"};
	vmsa_litmus_result_t r;

	run_conflict_aborts = true;
	CHECK_EQ(run(bbm_test, NULL, &r), 0);
	run_conflict_aborts = false;
	CHECK_EQ(r.outcome, VMSA_LITMUS_SOMETIMES);
	check_states(&r, want, 3);
	CHECK_EQ(r.executions, 5);
	CHECK_EQ(r.positive, 2);
	vmsa_litmus_result_free(&r);
}

/* Run text without and with the environment variable var set to 1: the
 * executions want_a and want_b, the same observation and final states. */
static void same_with_env(const char *text, const char *var,
			  uint64_t want_a, uint64_t want_b)
{
	vmsa_litmus_result_t a, b;

	CHECK_EQ(run(text, NULL, &a), 0);
	setenv(var, "1", 1);
	CHECK_EQ(run(text, NULL, &b), 0);
	unsetenv(var);
	CHECK_EQ(a.executions, want_a);
	CHECK_EQ(b.executions, want_b);
	CHECK_EQ(a.outcome, b.outcome);
	CHECK_EQ(a.nstates, b.nstates);
	for (unsigned i = 0; i < a.nstates && i < b.nstates; i++)
		CHECK_STR(a.states[i], b.states[i]);
	vmsa_litmus_result_free(&a);
	vmsa_litmus_result_free(&b);
}

/* The threads enter their translation regime through the explorer's
 * start gate (serial_start): far fewer executions, the same final
 * states and observation as when the entries interleave
 * (VMSA_LITMUS_NOGATE turns the gate off). */
TEST(litmus_run_start_gate_same_states)
{
	static const char mp4[] =
		"AArch64 MP4\n{ 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; 2:X1=z; }\n"
		" P0          | P1          | P2          ;\n"
		" MOV W0,#1   | LDR W2,[X3] | LDR W2,[X1] ;\n"
		" STR W0,[X1] | DMB LD      |             ;\n"
		" DMB ST      | LDR W4,[X1] |             ;\n"
		" STR W0,[X3] |             |             ;\n"
		"exists (1:X2=1 /\\ 1:X4=0)\n";
	static const char *const texts[] = {mp4, bbm_test, fault_test};
	static const uint64_t gated[] = {3, 3, 1}, free_[] = {72, 24, 1};

	for (unsigned k = 0; k < 3; k++)
		same_with_env(texts[k], "VMSA_LITMUS_NOGATE", gated[k], free_[k]);
}

/*
 * An execution herd7 drops ends at the step that drops it (interp.c,
 * drop(); explore_end): fewer executions, the same final states and
 * observation as when the other threads go on to their end
 * (VMSA_LITMUS_NOEND). A store retried after its fault that faults
 * again (herd's fault while re-executing) while another thread makes
 * the page writable, and a loop cut past herd7's unrolling while
 * another thread writes the value it waits for (there, since the read
 * rule, 15 executions against 14 going on to the end).
 */
TEST(litmus_run_drop_ends_same_states)
{
	static const char rx[] =
		"AArch64 RX\nVariant=imprecise\n"
		"{ int x; [PTE(x)]=(db:0); 0:X1=x; 1:X1=x; 1:X3=PTE(x);\n"
		"  1:X0=(oa:PA(x)); 2:X1=x; }\n"
		" P0          | P1              | P2          ;\n"
		" MOV W0,#1   | STR X0,[X3]     | LDR W2,[X1] ;\n"
		" STR W0,[X1] | DSB ISH         |             ;\n"
		"             | LSR X5,X1,#12   |             ;\n"
		"             | TLBI VAAE1IS,X5 |             ;\n"
		"             | DSB ISH         |             ;\n"
		"exists (2:X2=1)\n";
	static const char spin[] =
		"AArch64 SPIN\n{ 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   |L0:          ;\n"
		" STR W0,[X3] | LDR W2,[X1] ;\n"
		" STR W0,[X1] | CBZ W2,L0   ;\n"
		"             | LDR W4,[X3] ;\n"
		"exists (1:X4=0)\n";
	static const char *const texts[] = {rx, spin};
	/* RX: 587 and 701 before a context synchronisation event kept the
	 * retired entries of TLBIs it is not ordered after (the fault's
	 * exception entry and return, barrier.c), 618 and 732 before the
	 * same-low-order-bits rule (translate.c, fresh_since), 626 and 741
	 * before faults from TLB entries were ordered by the TLBIs that
	 * remove them (access.c, fault_xlat): the same states. Going on
	 * to the end: 754 before a retry that faults again through a
	 * value overwritten before its handler returned ended the
	 * execution at that retry (access.c, stale_retry_fault): the
	 * same states. */
	static const uint64_t ended[] = {630, 15}, full[] = {673, 14};

	for (unsigned k = 0; k < 2; k++)
		same_with_env(texts[k], "VMSA_LITMUS_NOEND", ended[k], full[k]);
}

/*
 * A pteval_t register initialised with a number (diy7 writes pteval_t
 * 0:X7=0 for the register a load of a PTE fills) holds that number:
 * herd7 prints 0:X7=0 where nothing loads it, and the descriptor where
 * a load of x's PTE does.
 */
TEST(litmus_run_pteval_number)
{
	static const char text[] =
		"AArch64 pteval-number\n"
		"{ x=1; pteval_t 0:X7=0; pteval_t 0:X8=0; 0:X0=x; 0:X6=PTE(x); }\n"
		" P0          ;\n"
		" LDR W1,[X0] ;\n"
		" LDR X8,[X6] ;\n"
		"locations [0:X7; 0:X8;]\n"
		"exists (0:X1=1)\n";
	vmsa_litmus_result_t r;

	CHECK_EQ(run(text, NULL, &r), 0);
	CHECK_EQ(r.outcome, VMSA_LITMUS_ALWAYS);
	CHECK_EQ(r.nstates, 1);
	if (r.nstates == 1)
		CHECK_STR(r.states[0], "0:X1=1; 0:X7=0; 0:X8=(oa:PA(x));");
	vmsa_litmus_result_free(&r);
}

/*
 * The promise scan of a thread's paths is made once per search and kept
 * per thread (promise.c, cand_paths()): with VMSA_LITMUS_NOSCANMEMO,
 * which scans again at every promise point, the same executions,
 * observation and final states. A thread whose store after an
 * unordered read may be promised at its start and again after its DSB
 * (a loop that may go back); two such threads, whose scans must not be
 * mixed up (one memo shared by the threads made LOOPLB 45 executions,
 * against 240); a thread with a hardware update site (the Access flag of
 * y's PTE, TTHM=HA, which P1 reads).
 */
TEST(litmus_run_scan_memo_same_search)
{
	static const char loop[] =
		"AArch64 LOOPPROM\nTTHM=HA\n"
		"{ int x; int y; 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; 0:X10=2; }\n"
		" P0             | P1          ;\n"
		"L0:             | LDR W2,[X3] ;\n"
		" LDR W2,[X1]    | STR W2,[X1] ;\n"
		" STR W10,[X3]   |             ;\n"
		" DSB ISH        |             ;\n"
		" SUB W10,W10,#1 |             ;\n"
		" CBNZ W10,L0    |             ;\n"
		"exists (0:X2=2 /\\ 1:X2=2)\n";
	static const char lb[] =
		"AArch64 LOOPLB\n"
		"{ int x; int y; 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; 0:X10=1;\n"
		"  1:X10=1; }\n"
		" P0             | P1             ;\n"
		"L0:             |L1:             ;\n"
		" LDR W2,[X1]    | LDR W2,[X3]    ;\n"
		" STR W10,[X3]   | STR W10,[X1]   ;\n"
		" DSB ISH        | DMB ST         ;\n"
		" SUB W10,W10,#1 | SUB W10,W10,#1 ;\n"
		" CBNZ W10,L0    | CBNZ W10,L1    ;\n"
		"exists (0:X2=1 /\\ 1:X2=1)\n";
	static const char hu[] =
		"AArch64 HUPROM\nTTHM=HA\n"
		"{ int x; int y; [PTE(y)]=(af:0); 0:X1=x; 0:X3=y; 1:X1=x;\n"
		"  1:X4=PTE(y); 0:X10=1; }\n"
		" P0             | P1          ;\n"
		"L0:             | LDR X2,[X4] ;\n"
		" LDR W2,[X1]    | MOV W5,#1   ;\n"
		" STR W10,[X3]   | STR W5,[X1] ;\n"
		" DSB ISH        |             ;\n"
		" SUB W10,W10,#1 |             ;\n"
		" CBNZ W10,L0    |             ;\n"
		"exists (0:X2=1 /\\ 1:X2=(oa:PA(y)))\n";

	same_with_env(loop, "VMSA_LITMUS_NOSCANMEMO", 914, 914);
	same_with_env(lb, "VMSA_LITMUS_NOSCANMEMO", 240, 240);
	same_with_env(hu, "VMSA_LITMUS_NOSCANMEMO", 378, 378);
}

/*
 * What the reduction takes from the previous execution (dpor.c: muted
 * steps whose footprints are copied, replayed events, the analysis
 * from the common prefix, the sleep sets after muted steps) changes
 * nothing: with VMSA_DPOR_NOREUSE, which takes nothing, the same
 * executions, observation and final states. Three tests whose
 * executions replay long prefixes: a page replaced under two threads
 * (muting one step too many made it 39 executions, before the read
 * rule), hardware updates
 * with a fault, a descriptor store without break-before-make.
 */
TEST(litmus_run_reuse_same_search)
{
	static const char hw3[] =
		"AArch64 HW3\n"
		"TTHM=P0:HA P0:HD P1:HA P1:HD\n"
		"{\n"
		"pte_x=(db:0,dbm:1);\n"
		"0:X2=x; 0:X4=y;\n"
		"1:X2=x; 1:X4=y;\n"
		"2:X1=x;\n"
		"}\n"
		" P0          | P1          | P2          ;\n"
		" MOV W0,#1   | MOV W0,#1   | LDR W2,[X1] ;\n"
		" STR W0,[X2] | STR W0,[X4] |             ;\n"
		" DMB SY      | DMB ST      |             ;\n"
		" LDR W1,[X4] | MOV W1,#2   |             ;\n"
		"             |L0:          |             ;\n"
		"             | STR W1,[X2] |             ;\n"
		"locations [x;]\n"
		"exists (0:X1=0 /\\ fault(P1:L0,x))\n";
	/* P2 replaces x's page, with the TLBI and DSBs, while P0 writes
	 * x then y and P1 reads them (x's walks may set its AF). */
	static const char move[] =
		"AArch64 MOVE\n"
		"TTHM=HA\n"
		"{\n"
		"int x; int y; int z;\n"
		"0:X1=x; 0:X3=y;\n"
		"1:X0=y; 1:X2=x;\n"
		"[PTE(x)]=(db:0);\n"
		"2:X1=x; 2:X3=PTE(x); 2:X0=(oa:PA(z));\n"
		"}\n"
		" P0           | P1           | P2               ;\n"
		" MOV W0,#1    | LDR W1,[X0]  | LDR X4,[X3]      ;\n"
		" STR W0,[X1]  | DMB LD       | DSB ISH          ;\n"
		" DMB ST       | LDR W3,[X2]  | LSR X5,X1,#12    ;\n"
		" MOV W2,#1    |              | TLBI VAAE1IS,X5  ;\n"
		" STR W2,[X3]  |              | DSB ISH          ;\n"
		"              |              | STR X0,[X3]      ;\n"
		"locations [Fault(P0,x);Fault(P1,x);]\n"
		"exists (1:X1=1 /\\ 1:X3=0)\n";
	static const char *const texts[] = {move, hw3, bbm_test};
	static const uint64_t want[] = {20, 1424, 3};

	for (unsigned k = 0; k < 3; k++)
		same_with_env(texts[k], "VMSA_DPOR_NOREUSE", want[k], want[k]);
}

/* An array location (herd7's int x[3]={...}): its elements one after the
 * other at the start of x's page; the final condition names elements
 * (x[0]; the whole of x, x=5, is refused: test_litmus_parse.c). Until
 * 2026-12-07 this test was `int x[4]={5,6,7}` (the missing value 0),
 * which herd7 rejects, and ended with x=5, which vmsa read as x[0]
 * where herd7's x is the whole array; now herd7's: Always, this one
 * state. */
TEST(litmus_run_array)
{
	static const char text[] =
		"AArch64 A\n{ int x[3]={5,6,7}; uint64_t y[2]={1,2}; 0:X1=x; "
		"0:X5=y; }\n"
		" P0              ;\n"
		" LDR W2,[X1,#4]  ;\n"
		" LDR W3,[X1,#8]  ;\n"
		" LDR X4,[X5]     ;\n"
		" LDR X6,[X5,#8]  ;\n"
		" LDR W7,[X1]     ;\n"
		"forall (0:X2=6 /\\ 0:X3=7 /\\ 0:X4=1 /\\ 0:X6=2 /\\ 0:X7=5 "
		"/\\ x[0]=5 /\\ x[2]=7 /\\ y[1]=2)\n";
	static const char *const state[] = {
		"0:X2=6; 0:X3=7; 0:X4=1; 0:X6=2; 0:X7=5; x[0]=5; x[2]=7; "
		"y[1]=2;"};

	lit_expect(text, NULL, VMSA_LITMUS_ALWAYS, 1, 0, state, 1);
}
