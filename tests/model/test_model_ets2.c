/*
 * Spurious Translation faults and FEAT_ETS2 (docs/model.md item 9,
 * ARCH-RULES.md section 6).
 *
 * Without FEAT_ETS2 a translation table walk may be done early, at any
 * time since the CPU's last context synchronisation event, so it may use
 * a descriptor value that was invalid then although another CPU has made
 * it valid (and published it with a DSB) since: a spurious Translation
 * fault. With FEAT_ETS2 an explicit memory access or a DSB earlier in
 * program order is ordered before a walk that faults, so the walk cannot
 * use a value that was overwritten before them.
 *
 * Each test names the litmus test of /work/shared/litmus it mirrors
 * (aarch64-ETS2/kinds.txt gives the verdicts with ETS2,
 * aarch64-VMSA/verdicts.tsv with and without). In the litmus tests a
 * "fault" is the outcome; here it is the invalid value a walk is offered.
 *
 * The fixture maps VA 0x1000 -> page[0] (data 0xa0, used as a flag) and
 * leaves VA 0x2000 unmapped; CPU0 maps it to page[1] (data 0xa1). Here VA
 * 0x3000 is mapped to page[3] (0xa3) without execute permission.
 */
#include <string.h>

#include "chooser.h"
#include "faults.h"
#include "fixture.h"

#define FLAG 0x1000ull
#define X 0x2000ull
#define NX 0x3000ull
#define DESC_CHOICE "stage-1 descriptor value"

/* ESR_EL1 for a stage-1 level-3 Translation fault on a read at EL1,
 * taken to EL1: EC 0x25 (Data Abort, same EL), IL = 1, ISV = 0, WnR = 0,
 * DFSC 0b000111. */
#define ESR_L3_TRANSLATION_READ \
	(((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL | 0x07u)

/* The fixture's two CPUs at EL1, with or without FEAT_ETS2. */
static void setup(struct fx *f, bool ets2)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 2;
	ft.ets2 = ets2;
	f->m = fx_machine_with(&ft);
	if (!f->m)
		return;
	fx_tables(f);
	/* NX -> page[3], without execute permission at EL0 and EL1. */
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, NX),
			   fx_page_desc(f->page[3]) | VMSA_D_PXN | VMSA_D_UXN);
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

/* CPU0 makes the invalid entry of X valid (no break needed). */
static void map_x(struct fx *f)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), fx_page_desc(f->page[1]));
}

/* True when exactly one choice was offered: the walk's "valid now or
 * invalid earlier" (2 options). */
static bool offered_invalid(const struct ch *ch)
{
	return ch->n_calls == 1 && strcmp(ch->calls[0].what, DESC_CHOICE) == 0 &&
	       ch->calls[0].n == 2;
}

/*
 * CPU @cpu reads X with a chooser that takes option 0 everywhere and
 * checks what the walk was offered: no choice at all when the walk is
 * @ordered after CPU0's store of X's valid descriptor, else exactly the
 * "valid now or invalid earlier" choice. Either way option 0 reads the
 * new page (0xa1) with no violation.
 */
static void read_x(struct fx *f, vmsa_cpu_t cpu, bool ordered)
{
	struct ch ch;

	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f->m);
	CHECK_EQ(fx_read(f, cpu, X), 0xa1);
	if (ordered)
		CHECK_EQ(ch.n_calls, 0);
	else
		CHECK(offered_invalid(&ch));
	CHECK(vmsa_violation(f->m) == NULL);
}

/*
 * Without ETS2: CPU1's ISB was before CPU0's store, so CPU1's walk may
 * have been done before it, even though CPU0 published the store with
 * DSB ISH: the invalid value is offered, and taking it is a spurious
 * Translation fault; no handler: "unhandled-abort".
 * Mirrors I2V-UP-DSB / D15347-load-DSB (Allowed without ETS2) across CPUs.
 */
TEST(model_ets2_spurious_fault_without_ets2)
{
	static const unsigned picks[] = {1};
	const vmsa_violation_t *v;
	struct fx f;
	struct ch ch;

	setup(&f, false);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, X), ~0ull);
	CHECK(offered_invalid(&ch));
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->cpu, 1);
		CHECK(strstr(v->message, "ESR 0x96000007") != NULL);
		CHECK(strstr(v->message, "(translation, stage 1, level 3)") !=
		      NULL);
	}
	fx_done(&f);
}

/*
 * The same with a handler at EL1 that just returns (as Linux does for a
 * spurious fault it recognises): it sees ESR_EL1 = 0x96000007 and FAR =
 * X; the exception entry is a context synchronisation event, so the
 * retried read cannot use the stale invalid value again: no choice, and
 * it reads page[1].
 */
TEST(model_ets2_spurious_fault_handled)
{
	static const unsigned picks[] = {1};
	struct faults flt = {0};
	struct fx f;
	struct ch ch;

	setup(&f, false);
	vmsa_set_handler(f.m, 1, 1, record_fault, &flt);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, X), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK(offered_invalid(&ch));
	CHECK_EQ(flt.n, 1);
	CHECK_EQ(flt.esr, ESR_L3_TRANSLATION_READ);
	CHECK_EQ(flt.esr, 0x96000007);
	CHECK_EQ(flt.esr_reg, 0x96000007);
	CHECK_EQ(flt.far, X);
	fx_done(&f);
}

/*
 * With ETS2, an explicit access (CPU1 reads the flag) after CPU0's
 * published store is ordered before CPU1's walk: no invalid value, no
 * choice at all. Mirrors ETS2.MP+poptev1l+po (Forbidden with ETS2), with
 * a DSB on the writer.
 */
TEST(model_ets2_explicit_access_orders_walk)
{
	struct fx f;
	struct ch ch;

	setup(&f, true);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, FLAG), 0xa0);
	CHECK_EQ(ch.n_calls, 0);
	CHECK_EQ(fx_read(&f, 1, X), 0xa1);
	CHECK_EQ(ch.n_calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* Without ETS2 the same explicit access orders nothing: the invalid value
 * is still offered. (MP-pte+DMBST+DMBLD and MP+dmb.st+data: Allowed
 * without ETS2.) */
TEST(model_ets2_explicit_access_without_ets2)
{
	struct fx f;

	setup(&f, false);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fx_read(&f, 1, FLAG), 0xa0);
	read_x(&f, 1, false);
	fx_done(&f);
}

/*
 * ETS2 alone does not close the window: with no access of CPU1 after
 * CPU0's store, nothing orders CPU1's walk after it, and the walk may
 * have been done before the store (herd: without a po-earlier event
 * there is no ordering; the ETS2 litmus tests all have one).
 */
TEST(model_ets2_needs_an_ordering_access)
{
	struct fx f;

	setup(&f, true);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	read_x(&f, 1, false);
	fx_done(&f);
}

/*
 * Without ETS2, an ISB on CPU1 after CPU0's DSB closes the window: a walk
 * cannot be done before a context synchronisation event that precedes it.
 * Mirrors D15347-load-DSB-ISB (Forbidden in both) across CPUs.
 */
TEST(model_ets2_isb_closes_window)
{
	struct fx f;

	setup(&f, false);
	vmsa_isb(f.m, 1);
	map_x(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 1);
	read_x(&f, 1, true);
	fx_done(&f);
}

/*
 * A DSB of CPU1 after CPU0's published store: with ETS2 it orders CPU1's
 * later walks (no choice); without ETS2 an ISB is needed as well
 * (I2V-UP-DSB: Allowed without ETS2, Forbidden with it).
 */
TEST(model_ets2_dsb_orders_walk)
{
	for (int ets2 = 0; ets2 < 2; ets2++) {
		struct fx f;

		setup(&f, ets2);
		vmsa_isb(f.m, 1);
		map_x(&f);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
		read_x(&f, 1, ets2);
		fx_done(&f);
	}
}

/*
 * A CPU's own store, not yet published by a DSB, then a load through it
 * (ETS2.CoWR0+posptev1p-fripptev1, D15347-load, D15347-load-invalid):
 * without ETS2 the walk may read the old invalid value (Allowed); with
 * ETS2 the store is ordered before the faulting walk, which must read it
 * or a newer value (Forbidden): no invalid value is offered, although the
 * store is still invisible to walks that do not fault (RSPVBD).
 */
TEST(model_ets2_own_store_then_load)
{
	for (int ets2 = 0; ets2 < 2; ets2++) {
		struct fx f;

		setup(&f, ets2);
		map_x(&f);
		read_x(&f, 0, ets2);
		fx_done(&f);
	}
}

/*
 * ETS2.MP+poptev1l+po (Forbidden with ETS2): CPU0 stores the valid
 * descriptor and then the flag (STLR; no DSB); CPU1 reads the flag and
 * then X. The model's data accesses are sequentially consistent, so CPU1's
 * flag read comes after both stores, and with ETS2 its faulting walk
 * cannot read the overwritten invalid value. Without ETS2 it may.
 */
TEST(model_ets2_mp_release)
{
	for (int ets2 = 0; ets2 < 2; ets2++) {
		uint64_t v = 0;
		struct fx f;

		setup(&f, ets2);
		map_x(&f);
		CHECK(vmsa_write(f.m, 0, FLAG, 8, 1));
		CHECK(vmsa_read(f.m, 1, FLAG, 8, &v));
		CHECK_EQ(v, 1);
		read_x(&f, 1, ets2);
		fx_done(&f);
	}
}

/*
 * ETS2.SB+dsb.sy+dmb.syptev1p (Forbidden with ETS2): CPU1 stores the
 * valid descriptor of X (no DSB), DMB SY, reads FLAG and sees the old
 * value; CPU0 then writes FLAG, DSB SY and reads X. With ETS2 CPU0's walk
 * is ordered after its DSB and so after CPU1's store: no fault.
 */
TEST(model_ets2_sb)
{
	for (int ets2 = 0; ets2 < 2; ets2++) {
		uint64_t v = 0;
		struct fx f;

		setup(&f, ets2);
		vmsa_desc_write_pa(f.m, 1, fx_pte(&f, X),
				   fx_page_desc(f.page[1]));
		vmsa_dmb(f.m, 1, VMSA_BAR_SY);
		CHECK(vmsa_read(f.m, 1, FLAG, 8, &v));
		CHECK_EQ(v, 0xa0);
		CHECK(vmsa_write(f.m, 0, FLAG, 8, 1));
		vmsa_dsb(f.m, 0, VMSA_BAR_SY);
		read_x(&f, 0, ets2);
		fx_done(&f);
	}
}

/*
 * The reads of a walk are ordered (each address comes from the previous
 * value), so a walk done early through a table that was linked after its
 * entries were filled and published cannot see the entries' earlier
 * invalid values. CPU0 fills a new level-3 table for VA 2M..4M, DSB ISH,
 * links it (the level-2 entry was invalid), DSB ISH. CPU1, without an
 * ISB, may still walk early and see the invalid level-2 entry (a spurious
 * level-2 fault), but never the level-3 entry's old value: exactly one
 * choice. (The Linux pattern: fill, dsb(ishst), populate.)
 */
TEST(model_ets2_new_table_entries_not_spurious)
{
	static const unsigned picks[] = {1};
	const uint64_t va = 0x203000ull;
	const vmsa_violation_t *v;
	vmsa_pa_t l3b;
	struct fx f;
	struct ch ch;

	setup(&f, false);
	vmsa_isb(f.m, 1);
	l3b = vmsa_page_alloc(f.m, 0, 1, 1);
	vmsa_desc_write_pa(f.m, 0, l3b + 8 * 3, fx_page_desc(f.page[2]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, f.l2 + 8,
			   vmsa_desc_make_table(l3b, VMSA_GRANULE_4K));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, va), 0xa2);
	CHECK(offered_invalid(&ch));

	/* The one invalid value offered is the level-2 entry's. */
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, va), ~0ull);
	CHECK(offered_invalid(&ch));
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v)
		CHECK(strstr(v->message, "(translation, stage 1, level 2)") !=
		      NULL);
	fx_done(&f);
}

/*
 * The issuer of a completed TLBI without FEAT_ETS2 may go on using the
 * removed entries until its next context synchronisation event (RBLDZX).
 * With FEAT_ETS2 it may not, whether or not the translation has execute
 * permission: B2.3 TTD-read-ordered-before (its FEAT_ETS2 case: TLBI,
 * DSB FULL, then any Implicit TTD Memory Effect) orders the later walk
 * after the TLBI, which removed the old entry. CPU0 unmaps a page: STR
 * invalid; DSB ISH; TLBI VAAE1IS; DSB ISH; LDR. Mirrors
 * ETS2.CoWR0+tlbi-sync.ishsptev0p-fripptev0 (herd7 Forbidden: the load
 * must fault with ETS2) with a page without execute permission and with
 * the default, executable one; without ETS2 the old entry is still
 * offered (a TLB hit), and taking it reads the old page.
 */
TEST(model_ets2_tlbi_complete_at_dsb)
{
	static const unsigned old_entry[] = {1};

	for (int ets2 = 0; ets2 < 2; ets2++) {
		for (int exec = 0; exec < 2; exec++) {
			uint64_t va = exec ? FLAG : NX;
			const vmsa_violation_t *v;
			struct fx f;
			struct ch ch;

			setup(&f, ets2);
			vmsa_desc_write_pa(f.m, 0, fx_pte(&f, va), 0);
			vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
			fx_tlbi_va(&f, 0, "vaae1is", va);
			vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
			ch_init(&ch, old_entry, 1);
			ch_attach(&ch, f.m);
			if (ets2) {
				CHECK_EQ(fx_read(&f, 0, va), ~0ull);
				CHECK_EQ(ch.n_calls, 0);
				v = vmsa_violation(f.m);
				CHECK(v != NULL);
				if (v)
					CHECK(strstr(v->message,
						     "ESR 0x96000007") != NULL);
			} else {
				CHECK_EQ(fx_read(&f, 0, va), exec ? 0xa0 : 0xa3);
				CHECK_EQ(ch.n_calls, 1);
				CHECK_STR(ch.calls[0].what, "stage-1 TLB entry");
				CHECK(vmsa_violation(f.m) == NULL);
			}
			fx_done(&f);
		}
	}
}
