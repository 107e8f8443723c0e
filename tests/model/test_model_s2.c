/*
 * What a TLB may hold with stage 2, and stage-2 TLB maintenance (DESIGN,
 * "The model's semantics" items 3 and 5; ARCH-RULES section 4, "Stage 2",
 * Arm ARM D8.17.6.1).
 *
 * The fixture (fixture_s2.h): a guest maps VA 0x1000 -> IPA 0x80010000,
 * which stage 2 maps to data page 0 (0xa0 for VM 0, 0xb0 for VM 1). CPU0
 * is the hypervisor at EL2; CPU1 runs the guest at EL1.
 */
#include "fixture_s2.h"

#define IPA0 FX2_IPA_DATA

/* The guest on CPU1 runs VM 0 and reads its VA once; CPU0 selects VM 0's
 * stage 2 for its TLB maintenance. */
static void guest_runs(struct fx2 *f, unsigned nvms)
{
	fx2_setup(f, 2, nvms);
	fx2_enter_guest(f, 1, 0);
	CHECK_EQ(fx2_read(f, 1, FX2_VA), 0xa0);
	fx2_hyp_select(f, 0, 0);
}

/* The stage-2 break: IPA0's entry invalid, DSB ISH. */
static void s2_break(struct fx2 *f)
{
	vmsa_desc_write_pa(f->m, 0, fx2_s2_pte(&f->vm[0], IPA0), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
}

/* The stage-2 make: IPA0 -> data page 1. */
static void s2_make(struct fx2 *f)
{
	vmsa_desc_write_pa(f->m, 0, fx2_s2_pte(&f->vm[0], IPA0),
			   fx2_s2_page_desc(f->vm[0].page[1]));
}

/* A BBM violation by CPU0 at this step: CPU1 may hold VM 0's old stage-2
 * entry for IPA0, as a `stage` entry. */
static void check_s2_bbm(struct fx2 *f, vmsa_tlb_stage_t stage)
{
	const vmsa_violation_t *v = vmsa_violation(f->m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_STR(v->rule, "RWHZWS");
	CHECK_EQ(v->cpu, 0);
	CHECK_EQ(v->step, vmsa_steps(f->m));
	CHECK_EQ(v->n_entries, 1);
	CHECK_EQ(v->entries[0].cpu, 1);
	CHECK_EQ(v->entries[0].desc, fx2_s2_page_desc(f->vm[0].page[0]));
	CHECK_EQ(v->entries[0].tag.regime, VMSA_REGIME_EL10);
	CHECK_EQ(v->entries[0].tag.vmid, f->vm[0].vmid);
	CHECK_EQ(v->entries[0].tag.stage, stage);
	CHECK_EQ(v->entries[0].tag.level, 3);
	CHECK_EQ(v->entries[0].tag.ia, IPA0);
}

/*
 * RWHZWS at stage 2: the guest's CPU may hold the stage-2 leaf it used,
 * so changing its output address without a break is a violation naming
 * that CPU and the old stage-2 descriptor.
 */
TEST(model_s2_remap_needs_break)
{
	struct fx2 f;

	guest_runs(&f, 1);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S2);
	fx2_done(&f);
}

/*
 * RNRJPP: a hypervisor CPU that selected a VM's stage 2 and its guest's
 * EL1 registers but never ran it (no ERET) caches nothing of it.
 */
TEST(model_s2_context_not_run_is_not_cached)
{
	struct fx2 f;

	fx2_setup(&f, 2, 1);
	fx2_hyp_select(&f, 1, 0);
	fx2_guest_regs(&f, 1);
	fx2_hyp_select(&f, 0, 0);
	s2_make(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}

/*
 * D8.17.6.1: TLBI IPAS2E1IS; DSB ISH; TLBI VMALLE1IS; DSB ISH removes
 * every cached copy of the IPA's stage-2 translation: the remap is safe
 * and the guest sees only the new page.
 */
TEST(model_s2_ipas2_then_vmalle1_is_safe)
{
	struct fx2 f;
	struct script s;

	guest_runs(&f, 1);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	s2_make(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	/* After its ISB the guest is offered nothing stale or spurious. */
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa1);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}

/*
 * D8.17.6.1, the wrong order: VMALLE1IS first leaves the stage-2 entry,
 * from which the guest's next walk (scripted to use it) refills a
 * combined stage 1+2 entry; IPAS2E1IS need not remove combined entries
 * (RTVTYQ), so the remap is a violation and the entry named is the
 * combined one.
 */
TEST(model_s2_vmalle1_before_ipas2_refills_combined)
{
	struct fx2 f;
	struct script s;

	guest_runs(&f, 1);
	s2_break(&f);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);

	/* The guest's walk: memory (invalid) or the held stage-2 leaf. */
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-2 descriptor value");
	CHECK_EQ(s.n[0], 2);
	script_start(f.m, &s, NULL, 0);

	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S12);
	fx2_done(&f);
}

/*
 * D8.17.6.1, RTVTYQ: IPAS2E1IS alone removes the stage-2-only entry but
 * not a combined stage 1+2 entry the guest's CPU may have made from it
 * when it used the mapping: the remap is still a violation.
 */
TEST(model_s2_ipas2_alone_leaves_combined)
{
	struct fx2 f;

	guest_runs(&f, 1);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S12);
	fx2_done(&f);
}

/*
 * D8.17.6.1: "software is required to use the entire invalidation
 * sequences, even if stage 1 translation is disabled". A guest with its
 * MMU off still needs the stage-1 invalidation after IPAS2E1IS.
 */
TEST(model_s2_ipas2_alone_stage1_off)
{
	struct fx2 f;

	fx2_setup(&f, 2, 1);
	fx2_hyp_select(&f, 1, 0);
	vmsa_eret(f.m, 1, 1); /* SCTLR_EL1.M = 0: VA = IPA */
	fx2_hyp_select(&f, 0, 0);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S12);
	fx2_done(&f);

	/* With the stage-1 invalidation, it is safe. */
	fx2_setup(&f, 2, 1);
	fx2_hyp_select(&f, 1, 0);
	vmsa_eret(f.m, 1, 1);
	fx2_hyp_select(&f, 0, 0);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	s2_make(&f);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}

/*
 * The wrong order with the guest's stage 1 off: a walk that uses the
 * stage-2 entry still held after VMALLE1IS refills a combined entry
 * (VA = IPA -> PA), which the later IPAS2E1IS leaves (D8.17.6.1). The
 * guest runs with HCR_EL2.DC = 1 (stage 1 off, data Normal Write-Back),
 * so that its reads are cacheable.
 */
TEST(model_s2_stage1_off_walk_refills_combined)
{
	struct fx2 f;
	struct script s;

	fx2_setup(&f, 2, 1);
	fx2_hyp_select(&f, 1, 0);
	vmsa_msr(f.m, 1, VMSA_REG_HCR_EL2, FX2_HCR | VMSA_HCR_DC);
	vmsa_eret(f.m, 1, 1);
	CHECK_EQ(fx2_read(&f, 1, IPA0), 0xa0);
	fx2_hyp_select(&f, 0, 0);
	s2_break(&f);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);

	vmsa_isb(f.m, 1);
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx2_read(&f, 1, IPA0), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-2 descriptor value");
	CHECK_EQ(s.n[0], 2);
	script_start(f.m, &s, NULL, 0);

	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S12);
	fx2_done(&f);
}

/* Guest exit: the hypervisor switches the CPU to VM 1. */
static void switch_to_vm1(struct fx2 *f, int cpu, void *arg)
{
	(void)arg;
	vmsa_msr(f->m, cpu, VMSA_REG_VTTBR_EL2, fx2_vttbr(&f->vm[1]));
}

/* CPU1 runs VM 0, then switches to VM 1 at a guest exit and reads VM 1's
 * page; CPU0 selects VM 0. */
static void switch_away(struct fx2 *f)
{
	guest_runs(f, 2);
	CHECK(fx2_guest_exit(f, 1, switch_to_vm1, NULL));
	CHECK_EQ(vmsa_current_el(f->m, 1), 1);
	CHECK_EQ(fx2_read(f, 1, FX2_VA), 0xb0);
	CHECK(vmsa_violation(f->m) == NULL);
}

/*
 * RNWYRD: entries are tagged with the VMID, and switching VTTBR_EL2 to
 * another VM does not remove the old VM's entries: a remap in VM 0's
 * stage 2 without TLB maintenance is a violation naming CPU1, although
 * CPU1 now runs VM 1.
 */
TEST(model_s2_switch_vttbr_keeps_entries)
{
	struct fx2 f;

	switch_away(&f);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S2);
	fx2_done(&f);
}

/*
 * TLBI VMALLE1IS for VM 0 after the switch removes only stage-1
 * information (RTVTYQ): CPU1 may still hold VM 0's stage-2 entries.
 */
TEST(model_s2_switch_vttbr_vmalle1_not_enough)
{
	struct fx2 f;

	switch_away(&f);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S2);
	fx2_done(&f);
}

/*
 * RGNJPZ: TLBI VMALLS12E1IS + DSB ISH with VM 0's VMID removes all of
 * VM 0 (both stages) from every CPU: once CPU1 runs VM 1, nothing of VM 0
 * is left in its TLB, and VM 0's stage 2 can change freely.
 */
TEST(model_s2_switch_vttbr_vmalls12_cleans)
{
	struct fx2 f;

	switch_away(&f);
	fx2_tlbi(&f, 0, "vmalls12e1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	s2_make(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xb0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}

struct s1ptw_fault {
	unsigned calls;
	uint64_t esr, far, hpfar;
	bool s1ptw;
	struct fx2 *f;
};

/* The hypervisor's stage-2 fault handler: map the faulting IPA (the
 * guest's level-3 table page) from HPFAR_EL2 and return. */
static void s1ptw_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	struct s1ptw_fault *r = arg;
	struct fx2_vm *vm = &r->f->vm[0];
	uint64_t ipa;

	r->calls++;
	r->s1ptw = e->is_mmu_fault && e->fault.s1ptw;
	r->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	r->far = vmsa_mrs(m, cpu, VMSA_REG_FAR_EL2);
	r->hpfar = vmsa_mrs(m, cpu, VMSA_REG_HPFAR_EL2);
	ipa = (r->hpfar >> 4) << 12;
	if (ipa != FX2_IPA_TABLES + 0x2000 || r->calls > 1)
		return; /* the test's checks fail; do not loop forever */
	vmsa_desc_write_pa(m, cpu, fx2_s2_pte(vm, ipa),
			   fx2_s2_page_desc(vm->g_tab[2]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/*
 * A stage-2 Translation fault on a stage-1 table walk (D8.15, ESR_EL2
 * D24.2.46, HPFAR_EL2 D24.2.76): taken to EL2 from the guest as a Data
 * Abort from a lower EL (EC 0x24) with S1PTW = 1, ISV = 0, WnR = 0, FSC
 * 0x07 (level 3); FAR_EL2 is the VA and HPFAR_EL2 the table's IPA. The
 * handler maps the page; the load is retried and completes.
 */
TEST(model_s2_s1ptw_fault_to_el2)
{
	struct fx2 f;
	struct s1ptw_fault r = {0};

	fx2_setup(&f, 2, 1);
	r.f = &f;
	vmsa_desc_write_pa(f.m, VMSA_SETUP,
			   fx2_s2_pte(&f.vm[0], FX2_IPA_TABLES + 0x2000), 0);
	vmsa_set_handler(f.m, 1, 2, s1ptw_handler, &r);
	fx2_enter_guest(&f, 1, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(r.calls, 1);
	CHECK(r.s1ptw);
	CHECK_EQ(r.esr, 0x92000087);
	CHECK(r.esr & VMSA_ESR_S1PTW);
	CHECK_EQ(r.far, FX2_VA);
	CHECK_EQ(r.hpfar, (FX2_IPA_TABLES + 0x2000) >> 12 << 4);
	CHECK_EQ(vmsa_current_el(f.m, 1), 1);
	fx2_done(&f);
}

/*
 * RNWYRD: stage-2 maintenance applies to the VMID in VTTBR_EL2 of the
 * issuing CPU. With VM 1 selected, the full sequence for IPA0 leaves
 * VM 0's entries on CPU1, and the remap in VM 0 is a violation.
 */
TEST(model_s2_tlbi_uses_current_vmid)
{
	struct fx2 f;

	guest_runs(&f, 2);
	s2_break(&f);
	fx2_hyp_select(&f, 0, 1);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S2);
	fx2_done(&f);
}

/*
 * HCR_EL2.FB upgrades only TLBIs executed at EL1 (C5.5, "when executed
 * at EL1"): a hypervisor at EL2 that uses the local forms invalidates its
 * own CPU only, and the guest's CPU keeps VM 0's entries.
 */
TEST(model_s2_hcr_fb_not_applied_at_el2)
{
	vmsa_features_t feat = vmsa_features_default();
	const char *why = NULL;
	struct fx2 f;

	memset(&f, 0, sizeof(f));
	feat.hcr_fb = true;
	f.m = vmsa_machine_new(&feat, &why);
	CHECK(f.m != NULL);
	if (!f.m)
		return;
	fx2_vm_build(&f, 0, 1);
	fx2_enter_guest(&f, 1, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	fx2_hyp_select(&f, 0, 0);
	/* The fixture's HCR_EL2 value has no FB: set it again. */
	vmsa_msr(f.m, 0, VMSA_REG_HCR_EL2, FX2_HCR | VMSA_HCR_FB);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vmalle1", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	s2_make(&f);
	check_s2_bbm(&f, VMSA_TLB_S2);
	fx2_done(&f);
}

#ifdef VMSA_KNOWN_GAPS
/*
 * KNOWN GAP (built only with -DVMSA_KNOWN_GAPS; it fails today).
 * D8.17.6.1 also allows the stage-1 invalidation by VA: "TLBI IPAS2E1, Xt;
 * DSB; TLBI VAE1, Xt2" invalidates every cached copy of the stage-2
 * translation of the IPA used for the VA in Xt2. The model's combined
 * entries do not know their VA (held.any_va), so only VMALLE1, VMALLS12E1
 * and ALLE1 remove them, and this correct sequence is reported as a
 * break-before-make violation.
 */
TEST(model_s2_known_gap_ipas2_then_vae1_is_safe)
{
	struct fx2 f;

	guest_runs(&f, 1);
	s2_break(&f);
	fx2_tlbi_ipa(&f, 0, "ipas2e1is", IPA0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vae1is",
		 vmsa_tlbi_va(FX2_VA, FX_ASID, VMSA_GRANULE_4K, -1));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	s2_make(&f);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}
#endif
