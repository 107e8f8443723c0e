/*
 * tests/model/test_hwdb_place.c - where a hardware dirty-state update
 * (FEAT_HAFDBS, TTHM=HD: TCR_EL1.HD) sits in memory's order under Arm's
 * ordering of data accesses (features hafdbs and relaxed; order.c,
 * hw_write_ts): right after the descriptor value its walk read (herd's
 * `atomic` axiom), and after what orders it (its walk; the CPU's DSBs
 * only with FEAT_ETS2), but not after the CPU's earlier stores to other
 * locations that only a DMB ST or (without ETS2) a DSB orders (D8.5.3 RPLLLM: the update is not ordered with the
 * store that caused it; a DMB ST orders explicit writes). herd7 allows
 * Artem3+HDx-TLBIy+dmb.st+dmb.ld on that ground; the model now does.
 * Expected sets and counts are the model's exact ones.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "litmus/litmus_run.h"

/* P1 stores y, then (BARRIER) stores x through a clean descriptor with
 * DBM set (the hardware marks it dirty). P0 reads the descriptor, then
 * (DMB LD) y. */
#define MP_HD(barrier)                                                       \
	"AArch64 MP+HD\nTTHM=HD\n"                                           \
	"{ pte_x=(oa:phy_x,db:0,dbm:1); 1:X1=x; 1:X3=1; 1:X4=y;\n"           \
	"  0:X4=y; 0:X1=pte_x; }\n"                                          \
	" P0          | P1          ;\n"                                     \
	" LDR X2,[X1] | STR W3,[X4] ;\n"                                     \
	" DMB LD      | " barrier " ;\n"                                     \
	" LDR W3,[X4] | STR W3,[X1] ;\n"                                     \
	"exists (0:X2=(oa:phy_x,db:1,dbm:1) /\\ 0:X3=0)\n"

/* Run MP_HD(barrier); check the outcome, the execution counts and the
 * final states. */
static void run_mp(const char *text, vmsa_litmus_outcome_t outcome,
		   uint64_t pos, uint64_t neg,
		   const char *const *want, unsigned n)
{
	lit_expect(text, "vmsa,fatal", outcome, pos, neg, want, n);
}

/* RPLLLM: after a DMB ST, P0 may see the dirty update and then the old
 * y: the update took a place in memory's order before P1's store of y. */
TEST(hwdb_place_dmb_st)
{
	static const char *const want[] = {
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=0;",
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=1;",
		"0:X2=(oa:PA(x), dbm:1); 0:X3=0;",
		"0:X2=(oa:PA(x), dbm:1); 0:X3=1;",
	};

	run_mp(MP_HD("DMB ST "), VMSA_LITMUS_SOMETIMES, 1, 11, want, 4);
}

/* B2.3.7 DSB-ordered-before: without FEAT_ETS2 a DSB orders nothing
 * before an Implicit TTD Memory Effect, the update included (herd's
 * DSB-ob; Artem3+HDx-TLBIy+dsb.st+dmb.ld Allowed): the update may
 * still take a place before the store of y, as after a DMB ST. P1 may
 * also promise the update at its start (its first store to x comes
 * after a DSB: src/litmus/promise.c), which adds executions, not
 * states (1 + 24 before the promise, 7 + 105 with it). */
TEST(hwdb_place_dsb)
{
	static const char *const want[] = {
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=0;",
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=1;",
		"0:X2=(oa:PA(x), dbm:1); 0:X3=0;",
		"0:X2=(oa:PA(x), dbm:1); 0:X3=1;",
	};

	run_mp(MP_HD("DSB ISH"), VMSA_LITMUS_SOMETIMES, 5, 53, want, 4);
}

/* With FEAT_ETS2 the DSB orders the store of y before the update (the
 * second half of DSB-ordered-before): no place is offered before it (the
 * counts are those of appended updates). */
TEST(hwdb_place_dsb_ets2)
{
	static const char *const want[] = {
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=0;",
		"0:X2=(oa:PA(x), db:0, dbm:1); 0:X3=1;",
		"0:X2=(oa:PA(x), dbm:1); 0:X3=1;",
	};

	lit_expect(MP_HD("DSB ISH"), "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0,
		   6, want, 3);
}

/*
 * A dirty-state update after an older copy of the value its walk read
 * (translate.c, hw_update_old's aba): P0 writes z's descriptor again
 * with the value it holds (clean, DBM set), then (BARRIER) y; P1 reads
 * y, then stores to z, whose walk reads the clean value and marks it
 * dirty. Memory still holds the value the walk read, but the walk may
 * have read the initial copy, and its update then goes right after
 * that copy, before P0's rewrite, which leaves z clean. A DMB LD does
 * not order P0's two stores: herd7 Allowed (Never before 2026-12-06); a
 * DMB ST does: herd7 Forbidden. Since a store after a descriptor store
 * that another thread's hardware update may write is a promise site
 * (promise.c, shared_pte_store; 2026-12-07), P0's store of y may also
 * be promised before its descriptor store: 14 witnesses and 89 others
 * (3 and 49 before), the same states.
 */
#define S_ABA(barrier)                                                       \
	"AArch64 S+ABA-HUdb\nTTHM=P1:HD\n"                                   \
	"{ [PTE(z)]=(oa:PA(z), dbm:1, db:0);\n"                              \
	"  0:X5=(oa:PA(z), dbm:1, db:0); 0:X6=PTE(z); 0:X7=y; 0:X8=1;\n"     \
	"  1:X7=y; 1:X9=z; 1:X8=1; }\n"                                      \
	" P0          | P1             ;\n"                                  \
	" STR X5,[X6] | LDR W1,[X7]    ;\n"                                  \
	" " barrier " | EOR X2,X1,X1   ;\n"                                  \
	" STR W8,[X7] | STR W8,[X9,X2] ;\n"                                  \
	"exists (1:X1=1 /\\ [PTE(z)]=(oa:PA(z), dbm:1, db:0))\n"

TEST(hwdb_place_after_older_copy)
{
	static const char *const all[] = {
		"1:X1=0; [PTE(z)]=(oa:PA(z), db:0, dbm:1);",
		"1:X1=0; [PTE(z)]=(oa:PA(z), dbm:1);",
		"1:X1=1; [PTE(z)]=(oa:PA(z), db:0, dbm:1);",
		"1:X1=1; [PTE(z)]=(oa:PA(z), dbm:1);",
	};
	static const char *const st[] = {
		"1:X1=0; [PTE(z)]=(oa:PA(z), db:0, dbm:1);",
		"1:X1=0; [PTE(z)]=(oa:PA(z), dbm:1);",
		"1:X1=1; [PTE(z)]=(oa:PA(z), dbm:1);",
	};

	lit_expect(S_ABA("DMB LD    "), "vmsa,fatal", VMSA_LITMUS_SOMETIMES,
		   14, 89, all, 4);
	lit_expect(S_ABA("DMB ST    "), "vmsa,fatal", VMSA_LITMUS_NEVER, 0,
		   20, st, 3);
}
