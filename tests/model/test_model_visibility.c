/*
 * Walker visibility of descriptor stores (RSPVBD, docs/model.md item 4):
 * a store to a translation table entry may stay invisible to translation
 * table walks, the writer's own and every other CPU's, until the writer's
 * next DSB. Any DSB but the load-only forms (DSB LD, ISHLD, NSHLD, OSHLD)
 * publishes it; DSB ISHST is enough for visibility (though not to complete
 * a TLBI). Until then a walk is offered the value memory has now (option 0)
 * and the last visible value (option 1).
 *
 * The fixture maps VA 0x1000 -> page[0] (data 0xa0) and leaves VA 0x2000
 * unmapped; page[1] holds 0xa1.
 */
#include <stdio.h>
#include <string.h>

#include "chooser.h"
#include "faults.h"
#include "fixture.h"

#define MAPPED 0x1000ull
#define UNMAPPED 0x2000ull
#define DESC_CHOICE "stage-1 descriptor value"
#define TLB_CHOICE "stage-1 TLB entry"

/* ESR_EL1 of a Data Abort taken from EL1 to EL1 (EC 0x25, IL = 1) on a
 * read, for a stage-1 Translation fault at level 3 (DFSC 0b000111): ISV = 0
 * (only stage-2 faults reported to EL2 carry an instruction syndrome),
 * WnR = 0. */
#define ESR_DABT_CUR(fsc) (((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL | (fsc))
#define ESR_L3_TRANSLATION_READ ESR_DABT_CUR(0x07)

/* CPU0 maps the unmapped VA (invalid -> valid: no break needed). */
static void map_unmapped(struct fx *f)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, UNMAPPED),
			   fx_page_desc(f->page[1]));
}

/*
 * RSPVBD: before CPU0's DSB, CPU1's walk is offered exactly the new value
 * and the old one, and nothing else. Picking the old (invalid) value is a
 * Translation fault at level 3; the handler returns, the read is retried
 * and (option 0) translates with the new value.
 */
TEST(model_vis_pending_store_offers_old_value)
{
	static const unsigned picks[] = {1};
	struct faults flt = {0};
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	vmsa_set_handler(f.m, 1, 1, record_fault, &flt);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	map_unmapped(&f);
	CHECK_EQ(ch.n_calls, 0);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	/* One choice per attempt, both between the same two values. */
	CHECK_EQ(ch.n_calls, 2);
	CHECK_STR(ch.calls[0].what, DESC_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);
	CHECK_EQ(ch.calls[0].pick, 1);
	CHECK_STR(ch.calls[1].what, DESC_CHOICE);
	CHECK_EQ(ch.calls[1].n, 2);
	CHECK_EQ(ch.calls[1].pick, 0);
	/* The old translation: a level-3 Translation fault on VA 0x2000. */
	CHECK_EQ(flt.n, 1);
	CHECK_EQ(flt.esr, ESR_L3_TRANSLATION_READ);
	CHECK_EQ(flt.esr, 0x96000007);
	CHECK_EQ(flt.esr_reg, 0x96000007);
	CHECK_EQ(flt.far, UNMAPPED);
	CHECK_EQ(flt.kind, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(flt.level, 3);
	CHECK_EQ(flt.to_el, 1);
	fx_done(&f);
}

/* The same without a handler: the old value's fault is unhandled. */
TEST(model_vis_pending_store_old_value_unhandled)
{
	static const unsigned picks[] = {1};
	const vmsa_violation_t *v;
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	map_unmapped(&f);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), ~0ull);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->cpu, 1);
		CHECK(strstr(v->message, "ESR 0x96000007") != NULL);
		CHECK(strstr(v->message, "(translation, stage 1, level 3)") != NULL);
	}
	fx_done(&f);
}

/*
 * RSPVBD, valid -> invalid (the "break" of break-before-make): until
 * CPU0's DSB, CPU1's walk may still read the old valid descriptor, and so
 * use the old translation. After the DSB the walk sees only the invalid
 * value, but the TLB may still hold the old entry (no TLBI yet): that is a
 * TLB hit, a different choice.
 */
TEST(model_vis_pending_break_old_translation)
{
	static const unsigned picks[] = {1};
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, MAPPED), 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
	if (ch_find(&ch, DESC_CHOICE)) {
		CHECK_EQ(ch_find(&ch, DESC_CHOICE)->n, 2);
		CHECK_EQ(ch_find(&ch, DESC_CHOICE)->pick, 1);
	}

	/* Published: only the TLB hit is left to choose. */
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, picks, 1);
	ch_only(&ch, TLB_CHOICE);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch.n_calls, 1);
	CHECK_STR(ch.calls[0].what, TLB_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 0);
	fx_done(&f);
}

/*
 * RSPVBD: every DSB that covers stores publishes the CPU's descriptor
 * stores: SY, ST, ISH, ISHST, NSH, NSHST, OSH, OSHST. CPU1 then does an
 * ISB so that no walk of its own can have been done before the DSB (no
 * spurious-fault window, see test_model_ets2.c): no choice is left.
 */
TEST(model_vis_dsb_publishes)
{
	static const vmsa_barrier_t bars[] = {
		VMSA_BAR_SY, VMSA_BAR_ST, VMSA_BAR_ISH, VMSA_BAR_ISHST,
		VMSA_BAR_NSH, VMSA_BAR_NSHST, VMSA_BAR_OSH, VMSA_BAR_OSHST,
	};

	for (unsigned i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
		struct fx f;
		struct ch ch;

		fx_setup(&f, 2, 0);
		ch_init(&ch, NULL, 0);
		ch_attach(&ch, f.m);
		map_unmapped(&f);
		vmsa_dsb(f.m, 0, bars[i]);
		vmsa_isb(f.m, 1);
		CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
		if (ch.n_calls)
			vt_fail(__FILE__, __LINE__, "DSB %s: %u choice(s), "
				"first \"%s\"", vmsa_barrier_name(bars[i]),
				ch.n_calls, ch.calls[0].what);
		CHECK(vmsa_violation(f.m) == NULL);
		fx_done(&f);
	}
}

/* A load-only DSB (LD, ISHLD, NSHLD, OSHLD) does not publish: the old
 * value is still offered after it. */
TEST(model_vis_dsb_ld_does_not_publish)
{
	static const vmsa_barrier_t bars[] = {
		VMSA_BAR_LD, VMSA_BAR_ISHLD, VMSA_BAR_NSHLD, VMSA_BAR_OSHLD,
	};

	for (unsigned i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
		struct fx f;
		struct ch ch;

		fx_setup(&f, 2, 0);
		ch_init(&ch, NULL, 0);
		ch_attach(&ch, f.m);
		map_unmapped(&f);
		vmsa_dsb(f.m, 0, bars[i]);
		vmsa_isb(f.m, 1);
		CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
		if (ch.n_calls != 1 || strcmp(ch.calls[0].what, DESC_CHOICE) ||
		    ch.calls[0].n != 2)
			vt_fail(__FILE__, __LINE__, "DSB %s: expected one "
				"2-option \"%s\" choice, got %u call(s)",
				vmsa_barrier_name(bars[i]), DESC_CHOICE,
				ch.n_calls);
		fx_done(&f);
	}
}

/* Only the writer's DSB publishes: a DSB by the reading CPU does not. */
TEST(model_vis_other_cpu_dsb_does_not_publish)
{
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	map_unmapped(&f);
	vmsa_dsb(f.m, 1, VMSA_BAR_SY);
	vmsa_isb(f.m, 1);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
	CHECK_EQ(ch.n_calls, 1);
	CHECK_STR(ch.calls[0].what, DESC_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);
	fx_done(&f);
}

/* RSPVBD applies to the writer's own walks too: CPU0 may read the old
 * value until its DSB; after DSB + ISB it cannot. */
TEST(model_vis_own_walk)
{
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	map_unmapped(&f);
	CHECK_EQ(fx_read(&f, 0, UNMAPPED), 0xa1);
	CHECK_EQ(ch.n_calls, 1);
	CHECK_STR(ch.calls[0].what, DESC_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);

	ch_clear_log(&ch);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	CHECK_EQ(fx_read(&f, 0, UNMAPPED), 0xa1);
	CHECK_EQ(ch.n_calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * RSPVBD and TLBI: a TLBI issued while the invalidating store is still
 * invisible to walks does not remove the old entry (a walk may refill it
 * from the old value after the invalidation), even once a later DSB
 * completes the TLBI and publishes the store. With DSB; TLBI; DSB the
 * entry is gone: CPU1's read has no choice left and faults.
 */
TEST(model_vis_tlbi_before_dsb_keeps_entry)
{
	static const unsigned picks[] = {1};
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, MAPPED), 0);
	fx_tlbi_va(&f, 0, "vae1is", MAPPED);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch.n_calls, 1);
	CHECK_STR(ch.calls[0].what, TLB_CHOICE);
	CHECK_EQ(ch.calls[0].n, 2);
	fx_done(&f);
}

TEST(model_vis_dsb_tlbi_dsb_removes_entry)
{
	const vmsa_violation_t *v;
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, MAPPED), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", MAPPED);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, MAPPED), ~0ull);
	CHECK_EQ(ch.n_calls, 0);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK(strstr(v->message, "ESR 0x96000007") != NULL);
	}
	fx_done(&f);
}
