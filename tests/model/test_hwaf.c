/*
 * tests/model/test_hwaf.c - hardware Access flag and dirty state
 * management (FEAT_HAFDBS, Arm ARM D8.5): with TCR_ELx.HA / VTCR_EL2.HA a
 * leaf with AF = 0 is updated in memory instead of an Access flag fault
 * (RHDTRB, RLFTXR); with HD a write through a writable-clean leaf (DBM =
 * 1) makes it writable-dirty instead of a Permission fault (RNSXRD,
 * RPQJJR), at stage 1 (AP[2] cleared) and stage 2 (S2AP[1] set). Each
 * update is an atomic read-modify-write: it fails when memory no longer
 * holds the value the walk used, and the walk starts again (RSGJBL).
 * Without the feature, or with HA = 0, the bits are RES0 / the faults
 * stay.
 */
#include <stdio.h>
#include <string.h>

#include "chooser.h"
#include "fixture_s2.h"
#include "vmsa/scenario.h"

#define VA 0x1000ull
#define TCR_HA (1ull << 39)
#define TCR_HD (1ull << 40)
#define VTCR_HA (1ull << 21)
#define VTCR_HD (1ull << 22)
#define AP2 (1ull << 7)		/* stage 1 AP[2]; stage 2 S2AP[1] */

/* The trace lines of one operation kind. */
struct lines {
	const char *op;
	unsigned n;
	char text[8][200];
};

static void rec(void *ctx, const vmsa_trace_event_t *e)
{
	struct lines *l = ctx;

	if (strcmp(e->op, l->op) || l->n == 8)
		return;
	snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", e->text);
}

/* Read va on cpu; ~0 when the access did not complete. */
static uint64_t rd(vmsa_machine_t *m, int cpu, uint64_t va)
{
	uint64_t v;

	return vmsa_read(m, cpu, va, 8, &v) ? v : ~0ull;
}

/* A machine with FEAT_HAFDBS (or not) and the fixture's tables. */
static void setup(struct fx *f, unsigned ncpus, bool hafdbs)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = ncpus;
	ft.hafdbs = hafdbs;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
}

/* cpu at EL1 with TCR_EL1 = the fixture's | extra. */
static void enter(struct fx *f, int cpu, uint64_t extra)
{
	vmsa_machine_t *m = f->m;

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, FX_TCR | extra);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1, f->l1 | (uint64_t)FX_ASID << 48);
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, 1);
	vmsa_eret(m, cpu, 1);
}

/* A page descriptor for page[i] with AP, AF and DBM as given. */
static uint64_t leaf(const struct fx *f, unsigned i, unsigned ap, bool af,
		     bool dbm)
{
	uint64_t d = vmsa_desc_make_s1_leaf(f->page[i], 3, VMSA_GRANULE_4K, 0,
					    ap, VMSA_SH_ISH, af);

	return dbm ? d | VMSA_D_DBM : d;
}

/* An EL1 abort handler that records the fault and sets AF / clears AP[2]
 * of the fixture's PTE as software management would. */
struct fault_log {
	struct fx *f;
	unsigned n;
	vmsa_fault_kind_t kind;
	unsigned fsc;
};

static void sw_fix(vmsa_machine_t *m, vmsa_cpu_t cpu,
		   const struct vmsa_exception *e, void *arg)
{
	struct fault_log *l = arg;
	vmsa_pa_t pte = fx_pte(l->f, VA);
	uint64_t d = vmsa_desc_read_pa(m, cpu, pte);

	l->n++;
	l->kind = e->fault.kind;
	l->fsc = e->fault.fsc;
	vmsa_desc_write_pa(m, cpu, pte, (d | VMSA_D_AF) & ~AP2);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/* HA = 1: the read succeeds, AF is set in memory by one atomic update,
 * traced with the old and new values; a second read updates nothing. */
TEST(hwaf_stage1_af_set)
{
	struct fx f;
	struct lines l = {.op = "hw-update"};
	vmsa_pa_t pte;
	uint64_t old;

	setup(&f, 1, true);
	pte = fx_pte(&f, VA);
	old = leaf(&f, 0, VMSA_AP_RW_EL1, false, false);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, old);
	vmsa_set_trace(f.m, rec, &l);
	enter(&f, 0, TCR_HA);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), old | VMSA_D_AF);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(l.n, 1);
	{
		char want[200];

		snprintf(want, sizeof(want),
			 "[0x%llx] 0x%016llx -> 0x%016llx: stage 1 L3 AF",
			 (unsigned long long)pte, (unsigned long long)old,
			 (unsigned long long)(old | VMSA_D_AF));
		CHECK_STR(l.text[0], want);
	}
	fx_done(&f);
}

/* Without FEAT_HAFDBS, TCR_EL1.HA is RES0: an Access flag fault (level 3,
 * FSC 0x0B); with the feature and HA = 0, too. */
TEST(hwaf_af_fault_without_ha)
{
	for (unsigned k = 0; k < 2; k++) {
		struct fx f;
		struct fault_log lg = {.f = &f};
		vmsa_pa_t pte;

		setup(&f, 1, k == 1);
		pte = fx_pte(&f, VA);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pte,
				   leaf(&f, 0, VMSA_AP_RW_EL1, false, false));
		vmsa_set_handler(f.m, 0, 1, sw_fix, &lg);
		enter(&f, 0, k == 0 ? TCR_HA | TCR_HD : 0);
		CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
		CHECK_EQ(lg.n, 1);
		CHECK_EQ(lg.kind, VMSA_FAULT_ACCESS_FLAG);
		CHECK_EQ(lg.fsc, 0x0b);
		CHECK(vmsa_violation(f.m) == NULL);
		fx_done(&f);
	}
}

/* HD = 1, DBM = 1, AP[2] = 1: a write clears AP[2] (writable-dirty) and,
 * AF being 0 too, sets AF in the same update (RPRHKD); a read changes
 * nothing. */
TEST(hwaf_stage1_dirty)
{
	struct fx f;
	struct lines l = {.op = "hw-update"};
	vmsa_pa_t pte;
	uint64_t clean, v;
	char want[200];

	setup(&f, 1, true);
	pte = fx_pte(&f, VA);
	clean = leaf(&f, 0, VMSA_AP_RO_EL1, true, true);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, clean & ~VMSA_D_AF);
	vmsa_set_trace(f.m, rec, &l);
	enter(&f, 0, TCR_HA | TCR_HD);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), clean);
	CHECK(vmsa_write(f.m, 0, VA, 8, 0x55));
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), clean & ~AP2);
	CHECK(vmsa_read(f.m, 0, VA, 8, &v));
	CHECK_EQ(v, 0x55);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(l.n, 2);
	snprintf(want, sizeof(want),
		 "[0x%llx] 0x%016llx -> 0x%016llx: stage 1 L3 dirty",
		 (unsigned long long)pte, (unsigned long long)clean,
		 (unsigned long long)(clean & ~AP2));
	CHECK_STR(l.text[1], want);
	fx_done(&f);
}

/* A write through AP[2] = 1 faults (Permission, level 3, FSC 0x0F) with
 * DBM = 0, with HD = 0, and with HD = 1 but HA = 0 (HD then behaves as 0,
 * D24.2.194). */
TEST(hwaf_dirty_needs_dbm_hd_ha)
{
	static const struct {
		bool dbm;
		uint64_t tcr;
	} cases[] = {
		{false, TCR_HA | TCR_HD}, {true, TCR_HA}, {true, TCR_HD},
	};

	for (unsigned k = 0; k < 3; k++) {
		struct fx f;
		struct fault_log lg = {.f = &f};
		vmsa_pa_t pte;

		setup(&f, 1, true);
		pte = fx_pte(&f, VA);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pte,
				   leaf(&f, 0, VMSA_AP_RO_EL1, true,
					cases[k].dbm));
		vmsa_set_handler(f.m, 0, 1, sw_fix, &lg);
		enter(&f, 0, cases[k].tcr);
		CHECK(vmsa_write(f.m, 0, VA, 8, 0x55));
		CHECK_EQ(lg.n, 1);
		CHECK_EQ(lg.kind, VMSA_FAULT_PERMISSION);
		CHECK_EQ(lg.fsc, 0x0f);
		fx_done(&f);
	}
}

/* The race with a software CAS of the same descriptor, hardware first:
 * the CAS that expected AF = 0 fails and returns the updated value. */
TEST(hwaf_race_hw_then_cas)
{
	struct fx f;
	vmsa_pa_t pte;
	uint64_t old, got;

	setup(&f, 2, true);
	pte = fx_pte(&f, VA);
	old = leaf(&f, 0, VMSA_AP_RW_EL1, false, false);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, old);
	enter(&f, 0, TCR_HA);
	enter(&f, 1, TCR_HA);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	got = vmsa_desc_cas(f.m, 1, (uint64_t *)vmsa_pa_ptr(f.m, pte), old,
			    leaf(&f, 1, VMSA_AP_RW_EL1, false, false));
	CHECK_EQ(got, old | VMSA_D_AF);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), old | VMSA_D_AF);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* Software CAS first (to page[1], AF = 0, no DSB yet): a walk that reads
 * the older value (still visible to walks, RSPVBD: option 1) needs an
 * update that fails, as memory holds the CAS's value; the walk starts
 * again, reads memory and updates the new value. */
TEST(hwaf_race_cas_then_hw_restart)
{
	struct fx f;
	struct lines l = {.op = "hw-update"};
	static const unsigned picks[] = {1};
	struct ch ch;
	vmsa_pa_t pte;
	uint64_t old, nw;
	char want[200];

	setup(&f, 2, true);
	pte = fx_pte(&f, VA);
	old = leaf(&f, 0, VMSA_AP_RW_EL1, false, false);
	nw = leaf(&f, 1, VMSA_AP_RW_EL1, false, false);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, old);
	enter(&f, 0, TCR_HA);
	enter(&f, 1, TCR_HA);
	CHECK_EQ(vmsa_desc_cas(f.m, 1, (uint64_t *)vmsa_pa_ptr(f.m, pte), old,
			       nw), old);
	ch_init(&ch, picks, 1);
	ch_only(&ch, "stage-1 descriptor value");
	ch_attach(&ch, f.m);
	vmsa_set_trace(f.m, rec, &l);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), nw | VMSA_D_AF);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(l.n, 2);
	snprintf(want, sizeof(want),
		 "[0x%llx] 0x%016llx -> 0x%016llx: stage 1 L3 AF failed, "
		 "memory holds 0x%016llx", (unsigned long long)pte,
		 (unsigned long long)old,
		 (unsigned long long)(old | VMSA_D_AF),
		 (unsigned long long)nw);
	CHECK_STR(l.text[0], want);
	snprintf(want, sizeof(want),
		 "[0x%llx] 0x%016llx -> 0x%016llx: stage 1 L3 AF",
		 (unsigned long long)pte, (unsigned long long)nw,
		 (unsigned long long)(nw | VMSA_D_AF));
	CHECK_STR(l.text[1], want);
	/* The restarted walk offered one value only: one choice in all. */
	CHECK_EQ(ch_count(&ch, "stage-1 descriptor value"), 1);
	fx_done(&f);
}

/* A dirty update through a held (stale) writable-clean entry: the TLB's
 * copy is checked against memory (RSGJBL), so the hardware walks again
 * and the write is made through memory's value. */
TEST(hwaf_dirty_held_entry_walks)
{
	struct fx f;
	static const unsigned picks[] = {1};
	struct ch ch;
	vmsa_pa_t pte;
	uint64_t clean;

	setup(&f, 2, true);
	pte = fx_pte(&f, VA);
	clean = leaf(&f, 0, VMSA_AP_RO_EL1, true, true);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, clean);
	enter(&f, 0, TCR_HA | TCR_HD);
	enter(&f, 1, TCR_HA | TCR_HD);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	/* CPU1 makes it dirty: CPU0 may still hold the clean entry. */
	CHECK(vmsa_write(f.m, 1, VA, 8, 0x66));
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), clean & ~AP2);
	ch_init(&ch, picks, 1);
	ch_only(&ch, "stage-1 TLB entry");
	ch_attach(&ch, f.m);
	CHECK(vmsa_write(f.m, 0, VA, 8, 0x77));
	CHECK_EQ(ch_count(&ch, "stage-1 TLB entry"), 1);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), clean & ~AP2);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[0], 8, true), 0x77);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* AT S1E1W neither sets AF nor makes the leaf dirty (RXQSMX, RRKMHW):
 * PAR reports a translation as if AF were 1 and the leaf writable. */
TEST(hwaf_at_no_update)
{
	struct fx f;
	vmsa_pa_t pte;
	uint64_t clean;

	setup(&f, 1, true);
	pte = fx_pte(&f, VA);
	clean = leaf(&f, 0, VMSA_AP_RO_EL1, false, true);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, clean);
	enter(&f, 0, TCR_HA | TCR_HD);
	vmsa_at(f.m, 0, VMSA_AT_S1E1W, VA);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_PAR_EL1) & 1, 0);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte), clean);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* Stage 2: VTCR_EL2.HA sets the stage-2 AF of the data page, VTCR_EL2.HD
 * with DBM sets S2AP[1] on a guest write. */
TEST(hwaf_stage2_af_and_dirty)
{
	struct fx2 f;
	struct fx2_vm *vm;
	vmsa_pa_t s2pte;
	uint64_t clean;
	struct lines l = {.op = "hw-update"};
	char want[200];
	vmsa_features_t ft = vmsa_features_default();
	const char *why = NULL;

	memset(&f, 0, sizeof(f));
	ft.ncpus = 1;
	ft.hafdbs = true;
	f.m = vmsa_machine_new(&ft, &why);
	CHECK(f.m != NULL);
	fx2_vm_build(&f, 0, 1);
	vm = &f.vm[0];
	s2pte = fx2_s2_pte(vm, fx2_data_ipa(0));
	clean = vmsa_desc_make_s2_leaf(vm->page[0], 3, VMSA_GRANULE_4K, 0xf,
				       VMSA_S2AP_RO, VMSA_SH_ISH, false) |
		VMSA_D_DBM;
	vmsa_desc_write_pa(f.m, VMSA_SETUP, s2pte, clean);
	vmsa_set_trace(f.m, rec, &l);
	fx2_hyp_select(&f, 0, 0);
	fx2_guest_regs(&f, 0);
	vmsa_msr(f.m, 0, VMSA_REG_VTCR_EL2, FX2_VTCR | VTCR_HA | VTCR_HD);
	vmsa_eret(f.m, 0, 1);
	CHECK_EQ(rd(f.m, 0, FX2_VA), 0xa0);
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, s2pte), clean | VMSA_D_AF);
	CHECK(vmsa_write(f.m, 0, FX2_VA, 8, 0x5));
	CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, s2pte),
		 clean | VMSA_D_AF | AP2);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(l.n, 2);
	snprintf(want, sizeof(want),
		 "[0x%llx] 0x%016llx -> 0x%016llx: stage 2 L3 dirty",
		 (unsigned long long)s2pte,
		 (unsigned long long)(clean | VMSA_D_AF),
		 (unsigned long long)(clean | VMSA_D_AF | AP2));
	CHECK_STR(l.text[1], want);
	vmsa_machine_free(f.m);
}

/* A stage-1 AF update under stage 2 writes the guest's table: stage 2
 * must grant write there (RBDJJL). Read-only at stage 2: a stage-2
 * Permission fault on the stage-1 walk (S1PTW); read-only with DBM and
 * VTCR_EL2.HD: the stage-2 leaf becomes dirty and the AF is set. */
static void s2_fault(vmsa_machine_t *m, vmsa_cpu_t cpu,
		     const struct vmsa_exception *e, void *arg)
{
	struct fault_log *l = arg;

	(void)m;
	(void)cpu;
	l->n++;
	l->kind = e->fault.kind;
	l->fsc = e->fault.fsc | (e->fault.s1ptw ? 0x100u : 0);
	vmsa_report(m, cpu, VMSA_V_ASSERT, "stop");
}

TEST(hwaf_s1_update_needs_s2_write)
{
	for (unsigned k = 0; k < 2; k++) {
		struct fx2 f;
		struct fx2_vm *vm;
		struct fault_log lg = {0};
		vmsa_features_t ft = vmsa_features_default();
		const char *why = NULL;
		vmsa_pa_t s2t, pte;
		uint64_t s2d, g;

		memset(&f, 0, sizeof(f));
		ft.ncpus = 1;
		ft.hafdbs = true;
		f.m = vmsa_machine_new(&ft, &why);
		CHECK(f.m != NULL);
		fx2_vm_build(&f, 0, 1);
		vm = &f.vm[0];
		/* The guest's L3 table page: stage-2 read-only. */
		s2t = fx2_s2_pte(vm, FX2_IPA_TABLES + 0x2000);
		s2d = vmsa_desc_make_s2_leaf(vm->g_tab[2], 3, VMSA_GRANULE_4K,
					     0xf, VMSA_S2AP_RO, VMSA_SH_ISH,
					     true) | (k ? VMSA_D_DBM : 0);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, s2t, s2d);
		pte = fx2_pte(vm, FX2_VA);
		g = vmsa_desc_make_s1_leaf(fx2_data_ipa(0), 3, VMSA_GRANULE_4K,
					   0, VMSA_AP_RW_EL1, VMSA_SH_ISH,
					   false);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pte, g);
		vmsa_set_handler(f.m, 0, 2, s2_fault, &lg);
		fx2_hyp_select(&f, 0, 0);
		fx2_guest_regs(&f, 0);
		vmsa_msr(f.m, 0, VMSA_REG_TCR_EL1, FX_TCR | TCR_HA);
		vmsa_msr(f.m, 0, VMSA_REG_VTCR_EL2,
			 FX2_VTCR | VTCR_HA | VTCR_HD);
		vmsa_eret(f.m, 0, 1);
		if (k == 0) {
			CHECK_EQ(rd(f.m, 0, FX2_VA), ~0ull);
			CHECK_EQ(lg.n, 1);
			CHECK_EQ(lg.kind, VMSA_FAULT_PERMISSION);
			CHECK_EQ(lg.fsc, 0x10f); /* level 3, S1PTW */
			/* (After the handler's stop, through memory.) */
			CHECK_EQ(*(uint64_t *)vmsa_pa_ptr(f.m, pte), g);
		} else {
			CHECK_EQ(rd(f.m, 0, FX2_VA), 0xa0);
			CHECK_EQ(lg.n, 0);
			CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, pte),
				 g | VMSA_D_AF);
			CHECK_EQ(vmsa_desc_read_pa(f.m, VMSA_SETUP, s2t),
				 s2d | AP2);
			CHECK(vmsa_violation(f.m) == NULL);
		}
		vmsa_machine_free(f.m);
	}
}

/* The configuration name. */
TEST(hwaf_config_name)
{
	vmsa_features_t ft;
	const char *why = NULL;

	CHECK_EQ(vmsa_config_parse("hafdbs", 2, &ft, &why), 0);
	CHECK(ft.hafdbs);
	CHECK_EQ(vmsa_config_parse("bbm2+hafdbs", 2, &ft, &why), 0);
	CHECK(ft.hafdbs);
	CHECK_EQ(ft.bbm_level, 2);
	CHECK_EQ(vmsa_config_parse("default", 2, &ft, &why), 0);
	CHECK(!ft.hafdbs);
}
