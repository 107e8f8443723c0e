/*
 * tests/model/test_hwdb_promise.c - load buffering through a hardware
 * dirty-state update (FEAT_HAFDBS, TTHM=P1:HD) under Arm's ordering of
 * data accesses: promises of hardware updates (src/model/promise.c,
 * src/litmus/promise.c).
 *
 * P0 reads x's descriptor, then (DMB SY) stores y; P1 reads y, then
 * (ORDER) stores x through a clean descriptor with DBM set, so its walk
 * marks it dirty. Seeing both the dirty descriptor and y = 1 needs the
 * update to be visible before P1's read of y is done. B2.3.7: a
 * Hardware Update Effect is an Implicit TTD Memory Write Effect;
 * Barrier-ordered-before (DMB, acquire, release) ends at Explicit
 * Memory and MMU Fault Effects, DSB-ordered-before reaches Implicit TTD
 * Memory Effects only with FEAT_ETS2, while an Address dependency to a
 * Hardware Update Effect and a DSB followed by an ISB
 * (Instruction-fetch-barrier-ordered-before) order it. herd7 agrees:
 * LB+dmb.sy+acq-HU, +rel-HU Allowed, +dsb.sy-HU Allowed without ETS2
 * only, +dsb.sy-isb-HU Forbidden. Expected sets and counts are the
 * model's exact ones.
 */
#include <stdio.h>

#include "chooser.h"
#include "harness.h"
#include "litmus/litmus_run.h"
#include "vmsa/desc.h"
#include "vmsa/model.h"

#define LB_HU(p1a, p1b, p1c, p1d)                                            \
	"AArch64 LB+HU\nTTHM=P1:HD\n"                                        \
	"{ pte_x=(oa:phy_x,db:0,dbm:1); 0:X1=y; 0:X5=pte_x;\n"               \
	"  1:X1=y; 1:X3=x; }\n"                                              \
	" P0          | P1  ;\n"                                             \
	" LDR X4,[X5] | " p1a " ;\n"                                         \
	" DMB SY      | " p1b " ;\n"                                         \
	" MOV W0,#1   | " p1c " ;\n"                                         \
	" STR W0,[X1] | " p1d " ;\n"                                         \
	"exists (1:X0=1 /\\ 0:X4=(oa:phy_x,db:1,dbm:1))\n"

/* Every final state, the dirty descriptor with y = 1 included. */
static const char *const all4[] = {
	"0:X4=(oa:PA(x), db:0, dbm:1); 1:X0=0;",
	"0:X4=(oa:PA(x), db:0, dbm:1); 1:X0=1;",
	"0:X4=(oa:PA(x), dbm:1); 1:X0=0;",
	"0:X4=(oa:PA(x), dbm:1); 1:X0=1;",
};

/* ORDER = an acquire, a release, a DMB SY: none orders the update
 * (Barrier-ordered-before), with or without ETS2. */
TEST(hwdb_promise_acq_rel_dmb)
{
	static const char *const lb[][4] = {
		{"LDAR W0,[X1]", "NOP", "NOP", "STR W2,[X3]"},
		{"LDR W0,[X1]", "NOP", "NOP", "STLR W2,[X3]"},
		{"LDR W0,[X1]", "DMB SY", "NOP", "STR W2,[X3]"},
	};
	char text[512];

	for (unsigned i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), LB_HU("%s", "%s", "%s", "%s"),
			 lb[i][0], lb[i][1], lb[i][2], lb[i][3]);
		lit_expect(text, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 2, 71,
			   all4, 4);
		lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 2,
			   71, all4, 4);
	}
}

/* A DSB SY orders the update after the read of y with ETS2 only
 * (DSB-ordered-before); the promise is then never fulfilled. */
TEST(hwdb_promise_dsb)
{
	/* Not static: all4[k] is no constant expression in C11 (6.6). */
	const char *const three[] = {all4[0], all4[1], all4[2]};
	const char *text = LB_HU("LDR W0,[X1]", "DSB SY", "NOP",
				 "STR W2,[X3]");

	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 2, 117, all4, 4);
	lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 111, three,
		   3);
}

/* DSB SY; ISB orders the walk and so its update (Instruction-fetch-
 * barrier-ordered-before); an address dependency orders the update
 * itself (Address dependency: E2 a Hardware Update Effect). */
TEST(hwdb_promise_isb_addr)
{
	/* Not static: all4[k] is no constant expression in C11 (6.6). */
	const char *const three[] = {all4[0], all4[1], all4[2]};
	const char *isb = LB_HU("LDR W0,[X1]", "DSB SY", "ISB",
				"STR W2,[X3]");
	const char *addr = LB_HU("LDR W0,[X1]", "EOR W6,W0,W0", "NOP",
				 "STR W2,[X3,W6,SXTW]");

	lit_expect(isb, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 111, three, 3);
	lit_expect(isb, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 111, three,
		   3);
	lit_expect(addr, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 65, three, 3);
}

/* A machine with Arm's ordering (and hardware AF/dirty updates when
 * hafdbs) whose chooser takes option 1 at its first two choices (a
 * promise, where one is offered); *pa: the start of its memory. */
static vmsa_machine_t *promise_machine(bool hafdbs, struct ch *ch,
				       vmsa_pa_t *pa)
{
	static const unsigned pick[] = {1, 1};
	vmsa_features_t f = vmsa_features_default();
	vmsa_machine_t *m;

	f.relaxed = true;
	f.hafdbs = hafdbs;
	m = vmsa_machine_new(&f, NULL);
	*pa = f.mem_base;
	ch_init(ch, pick, 2);
	ch_attach(ch, m);
	return m;
}

/* vmsa_promise refuses a hardware update of a word that is no table
 * slot, and one whose value is not an update of memory's (AF set, the
 * dirty state with DBM): no promise, nothing pending. */
TEST(hwdb_promise_refused)
{
	vmsa_promise_t p = {.size = 8, .value = VMSA_D_AF,
			    .hw_update = true};
	struct ch ch;
	vmsa_machine_t *m = promise_machine(true, &ch, &p.pa);

	/* Memory holds 0 there: AF set would be an update, but the word is
	 * in no translation table. */
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK_EQ(vmsa_promises_pending(m, 0), 0u);
	CHECK_EQ(ch_count(&ch, "promise: which write (0: none)"), 1u);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* A CAS's promise compares with what memory holds when it is made: one
 * whose compared value is given (expect) is refused when memory holds
 * another; one whose compared value is not known in advance
 * (expect_any, a litmus CAS comparing with a loaded register) is made
 * whatever memory holds, its compared value recorded as memory's. */
TEST(cas_promise_expect_any)
{
	vmsa_promise_t p = {.size = 8, .value = 1, .kind = VMSA_PROMISE_CAS,
			    .expect = 3};
	struct ch ch;
	vmsa_machine_t *m = promise_machine(false, &ch, &p.pa);

	/* Memory holds 0, the CAS would compare with 3: refused. */
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK_EQ(vmsa_promises_pending(m, 0), 0u);
	p.expect_any = true;
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 1u);
	CHECK_EQ(vmsa_promises_pending(m, 0), 1u);
	CHECK_EQ(ch_count(&ch, "promise: which write (0: none)"), 2u);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}
