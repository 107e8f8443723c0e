/*
 * Spurious Permission and Access flag faults (docs/model.md rule 9;
 * issue 11, model error 3).
 *
 * A translation table walk may have been done early, at any time since
 * the CPU's last context synchronisation event, so it may have read an
 * older value of a descriptor: if that value makes the walk fault, the
 * access takes the fault although memory, and every TLB, have the new
 * value (the fault is not cached: a later walk uses the new value).
 * Besides invalid values (Translation faults, test_model_ets2.c) that is
 * a leaf with AF = 0 (an Access flag fault) and a leaf that refuses the
 * access (a Permission fault: read-only for a write).
 *
 * FEAT_ETS2 orders a CPU's earlier explicit accesses and DSBs before a
 * walk that gives a TLBUncacheable fault: Translation, Address size,
 * Access flag (B2.3 "TLBUncacheable Effects": "A Permission Fault Effect
 * is not TLBUncacheable"; D9.7 RCKTPD). FEAT_ETS3 extends it to every
 * MMU fault (D8.2.6.1; B2.3 "ETS-ordered-before"), Permission faults
 * included. herd7: aarch64-VMSA/F1c+Handled (Allowed with and without
 * ets2), aarch64-ETS3/ETS3.S+tlbi-sync.ishptedb1p+po (Forbidden with ets3).
 *
 * The fixture maps FLAG = VA 0x1000 -> page[0]; here X = VA 0x2000 ->
 * page[1] too, read-only (or with AF = 0).
 */
#include <string.h>

#include "chooser.h"
#include "faults.h"
#include "fixture.h"

#define FLAG 0x1000ull
#define X 0x2000ull
#define DESC_CHOICE "stage-1 descriptor value"

/* ESR_EL1 of a stage-1 level-3 fault at EL1 taken to EL1: EC 0x25 (Data
 * Abort, same EL), IL = 1, ISV = 0; WnR for a write; DFSC 0b001111
 * (Permission, level 3) or 0b001011 (Access flag, level 3). */
#define ESR_DABT (((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL)
#define ESR_L3_PERMISSION_WRITE (ESR_DABT | (1u << 6) | 0x0fu)
#define ESR_L3_ACCESS_FLAG_READ (ESR_DABT | 0x0bu)

enum ets { NONE, ETS2, ETS3 };

static uint64_t ro_desc(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RO_EL1, VMSA_SH_ISH, true);
}

/* Two CPUs at EL1; X -> page[1], read-only or (af0) writable with
 * AF = 0 (set-up). CPU1's EL1 aborts go to record_fault. */
static void setup(struct fx *f, enum ets e, bool af0, struct faults *flt)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 2;
	ft.ets2 = e != NONE;
	ft.ets3 = e == ETS3;
	f->m = fx_machine_with(&ft);
	if (!f->m)
		return;
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, X),
			   af0 ? fx_page_desc(f->page[1]) & ~VMSA_D_AF :
				 ro_desc(f->page[1]));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
	memset(flt, 0, sizeof(*flt));
	vmsa_set_handler(f->m, 1, 1, record_fault, flt);
}

/* CPU0 (P0 of F1c+Handled): X read-only -> writable, then the TLBI
 * sequence (DSB ISH; TLBI VAAE1IS; DSB ISH). */
static void make_writable(struct fx *f)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), fx_page_desc(f->page[1]));
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vaae1is", X);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
}

/*
 * F1c+Handled: CPU1 writes FLAG (y) after CPU0's sequence, then writes
 * X. Its walk for X may have been done before CPU0's store (its last
 * context synchronisation event is earlier), read the read-only value and
 * so take a Permission fault at level 3, although the entry is writable
 * and the TLBI removed the old one. `offered` is whether the read-only
 * value is offered (without ETS3); the pick takes it. The fault is not
 * cached: the retry after the handler (an exception return is a context
 * synchronisation event) writes with no choice.
 */
static void f1c(enum ets e, bool offered)
{
	static const unsigned picks[] = {1};
	struct faults flt;
	struct fx f;
	struct ch ch;

	setup(&f, e, false, &flt);
	make_writable(&f);
	CHECK(vmsa_write(f.m, 1, FLAG, 8, 1));
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK(vmsa_write(f.m, 1, X, 8, 0x77));
	CHECK(vmsa_violation(f.m) == NULL);
	if (offered) {
		/* The level-3 read: the writable value now, the read-only
		 * one early. */
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
		CHECK_EQ(ch.calls[0].n, 2);
		CHECK_EQ(flt.n, 1);
		CHECK_EQ(flt.esr, ESR_L3_PERMISSION_WRITE);
		CHECK_EQ(flt.far, X);
		CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_ESR_EL1),
			 ESR_L3_PERMISSION_WRITE);
	} else {
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 0);
		CHECK_EQ(flt.n, 0);
	}
	/* Written through the new entry. */
	CHECK_EQ(fx_read(&f, 1, X), 0x77);
	fx_done(&f);
}

TEST(model_spurious_permission_without_ets2)
{
	f1c(NONE, true);
}

/* A Permission fault is not TLBUncacheable: ETS2 does not order CPU1's
 * write of FLAG before the walk (F1c+Handled is Allowed with ets2). */
TEST(model_spurious_permission_with_ets2_only)
{
	f1c(ETS2, true);
}

/* ETS3: the write of FLAG, after CPU0's store, is ordered before a walk
 * that faults (ETS3.S+tlbi-sync.ishptedb1p+po: Forbidden). */
TEST(model_spurious_permission_ets3_ordered)
{
	f1c(ETS3, false);
}

/* ETS3 does not order what came before CPU0's store: CPU1's write of
 * FLAG first, then CPU0's sequence, then CPU1's write of X may still
 * fault. */
TEST(model_spurious_permission_ets3_earlier_access)
{
	static const unsigned picks[] = {1};
	struct faults flt;
	struct fx f;
	struct ch ch;

	setup(&f, ETS3, false, &flt);
	CHECK(vmsa_write(f.m, 1, FLAG, 8, 1));
	make_writable(&f);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK(vmsa_write(f.m, 1, X, 8, 0x77));
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
	CHECK_EQ(flt.n, 1);
	CHECK_EQ(flt.esr, ESR_L3_PERMISSION_WRITE);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* A read is allowed by the read-only value: using it would be a stale
 * translation, not a fault, and the TLBI has removed it: not offered. */
TEST(model_spurious_permission_not_for_reads)
{
	struct faults flt;
	struct fx f;
	struct ch ch;

	setup(&f, NONE, false, &flt);
	make_writable(&f);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, X), 0xa1);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 0);
	CHECK_EQ(flt.n, 0);
	fx_done(&f);
}

/* The early read-only value is never cached: after the fault CPU1 holds
 * nothing for X, so a later store of another output address by CPU0 is
 * no break-before-make violation (the writable entry itself was never
 * used by CPU1 either). */
TEST(model_spurious_permission_not_held)
{
	static const unsigned picks[] = {1};
	struct faults flt;
	struct fx f;
	struct ch ch;

	setup(&f, NONE, false, &flt);
	make_writable(&f);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	/* The fault, then the retry with the writable entry (no choice:
	 * the exception entry and return moved the window). */
	CHECK(vmsa_write(f.m, 1, X, 8, 0x77));
	CHECK_EQ(flt.n, 1);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
	/* Break: invalid, DSB, TLBI, DSB, then another page. */
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, X), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vaae1is", X);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, X), ro_desc(f.page[2]));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * Access flag: X starts with AF = 0; CPU0 sets AF (a change that needs
 * no TLBI: an AF = 0 entry is never cached, IWZCBG) and publishes it with
 * DSB ISH. CPU1's read of X may use the AF = 0 value of an early walk:
 * an Access flag fault at level 3. With ETS2 an explicit access of CPU1
 * after CPU0's store (its read of FLAG) is ordered before the faulting
 * walk, so the AF = 0 value is no longer offered.
 */
static void af(enum ets e, bool flag_after, bool offered)
{
	static const unsigned picks[] = {1};
	struct faults flt;
	struct fx f;
	struct ch ch;

	setup(&f, e, true, &flt);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, X), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	if (flag_after)
		CHECK_EQ(fx_read(&f, 1, FLAG), 0xa0);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, X), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	if (offered) {
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
		CHECK_EQ(ch.calls[0].n, 2);
		CHECK_EQ(flt.n, 1);
		CHECK_EQ(flt.esr, ESR_L3_ACCESS_FLAG_READ);
		CHECK_EQ(flt.far, X);
	} else {
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 0);
		CHECK_EQ(flt.n, 0);
	}
	fx_done(&f);
}

TEST(model_spurious_access_flag_without_ets2)
{
	af(NONE, true, true);
}

TEST(model_spurious_access_flag_ets2_ordered)
{
	af(ETS2, true, false);
}

TEST(model_spurious_access_flag_ets2_no_access_since)
{
	af(ETS2, false, true);
}
