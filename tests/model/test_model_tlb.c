/*
 * What a TLB may hold and when a TLBI completes, for stage 1 (DESIGN,
 * "The model's semantics" items 3, 4 and 5; ARCH-RULES sections 4-5).
 *
 * The fixture (fixture.h) maps VA 0x1000 -> page[0] (data 0xa0) through
 * L1 -> L2 -> L3. A scripted chooser (fixture_s2.h) answers the model's
 * decisions and records them, so that a test can say exactly which stale
 * values a walk was offered.
 */
#include "fixture_s2.h"

#define VA 0x1000ull

static void check_bbm(vmsa_machine_t *m, int writer, int holder,
		      uint64_t old_desc, vmsa_pa_t loc, uint64_t step)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_STR(v->rule, "RWHZWS");
	CHECK_EQ(v->cpu, writer);
	CHECK_EQ(v->step, step);
	CHECK_EQ(v->n_entries, 1);
	CHECK_EQ(v->entries[0].cpu, holder);
	CHECK_EQ(v->entries[0].desc, old_desc);
	CHECK_EQ(v->entries[0].loc, loc);
}

/* A machine whose CPU1 alone runs the fixture's EL1&0 context; CPU0 stays
 * at EL2 and edits the tables. */
static void setup_cpu1_only(struct fx *f)
{
	f->m = fx_machine(2, 0, true);
	fx_tables(f);
	fx_enter_el1(f, 1);
}

/*
 * RSQBCS, RNWYRD: every valid entry of a context a CPU runs may be in its
 * TLB. Overwriting the leaf CPU1 used (while CPU0 never ran the context)
 * leaves the old value held on CPU1, so the valid-to-valid change of
 * output address is a break-before-make violation (RWHZWS) naming CPU1 and
 * the old descriptor, with its TLB tags.
 */
TEST(model_tlb_overwrite_leaves_old_value_on_user)
{
	struct fx f;
	const vmsa_violation_t *v;

	setup_cpu1_only(&f);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	check_bbm(f.m, 0, 1, fx_page_desc(f.page[0]), fx_pte(&f, VA),
		  vmsa_steps(f.m));
	v = vmsa_violation(f.m);
	if (v) {
		const vmsa_tlb_tag_t *t = &v->entries[0].tag;

		CHECK_EQ(t->regime, VMSA_REGIME_EL10);
		CHECK_EQ(t->stage, VMSA_TLB_S1);
		CHECK(t->leaf);
		CHECK(t->global);
		CHECK_EQ(t->asid, FX_ASID);
		CHECK_EQ(t->level, 3);
		CHECK_EQ(t->ia, VA);
		CHECK_EQ(t->size, 0x1000);
	}
	/* The write did not happen. */
	CHECK_EQ(*(uint64_t *)vmsa_pa_ptr(f.m, fx_pte(&f, VA)),
		 fx_page_desc(f.page[0]));
	fx_done(&f);
}

/*
 * RXCLRD, RSQBCS: after the break (invalid + DSB) without a TLBI, CPU1's
 * next access is offered exactly two options, the walk (memory: invalid)
 * and the held leaf; the held leaf gives the OLD page's data. The walk
 * gives a Translation fault (unhandled at EL1 here).
 */
TEST(model_tlb_stale_leaf_offered_after_break)
{
	static const unsigned picks[] = {1};
	struct fx f;
	struct script s;
	const vmsa_violation_t *v;

	setup_cpu1_only(&f);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);

	script_start(f.m, &s, picks, 1);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK_EQ(s.n[0], 2);
	CHECK(vmsa_violation(f.m) == NULL);

	/* Option 0, memory as it is now: the walk faults. */
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.n[0], 2);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->cpu, 1);
	}
	fx_done(&f);
}

/*
 * RNRJPP: EL1&0 registers are not used speculatively from EL2, so a CPU
 * that only wrote them caches nothing of the context: CPU0 may change a
 * valid entry freely. Once CPU1 runs the context (ERET to EL1), the same
 * change is a violation naming CPU1 and the value it may have cached.
 */
TEST(model_tlb_context_not_run_is_not_cached)
{
	struct fx f;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	vmsa_msr(f.m, 1, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(f.m, 1, VMSA_REG_TCR_EL1, FX_TCR);
	vmsa_msr(f.m, 1, VMSA_REG_TTBR0_EL1, f.l1 | (uint64_t)FX_ASID << 48);
	vmsa_msr(f.m, 1, VMSA_REG_SCTLR_EL1, 1);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);

	vmsa_eret(f.m, 1, 1);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[2]));
	check_bbm(f.m, 0, 1, fx_page_desc(f.page[1]), fx_pte(&f, VA),
		  vmsa_steps(f.m));
	fx_done(&f);
}

/*
 * RSPVBD: a descriptor store stays invisible to walks until the writer's
 * DSB. Before CPU0's DSB, CPU1's walk (after its own ISB, so no spurious
 * values) may read the new (invalid) value or the old one; after it, only
 * memory's value is left to the walk (the held leaf is still a TLB hit).
 */
TEST(model_tlb_store_invisible_until_dsb)
{
	static const unsigned picks[] = {0, 1};
	struct fx f;
	struct script s;

	setup_cpu1_only(&f);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_isb(f.m, 1);

	/* Walk (not the TLB hit), then the old value from memory. */
	script_start(f.m, &s, picks, 2);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(s.calls, 2);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK_EQ(s.n[0], 2);
	CHECK_STR(s.what[1], "stage-1 descriptor value");
	CHECK_EQ(s.n[1], 2);

	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * A TLBI without a suffix affects only the issuing PE (D8.17.7): after
 * TLBI VAE1 + DSB NSH on CPU0, CPU1 is still offered its held leaf, and
 * the remap is a violation naming CPU1 (CPU0's own entry is gone).
 */
TEST(model_tlb_local_tlbi_leaves_other_cpu)
{
	struct fx f;
	struct script s;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_NSH);
	vmsa_isb(f.m, 0);

	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK_EQ(s.n[0], 2);

	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	check_bbm(f.m, 0, 1, fx_page_desc(f.page[0]), fx_pte(&f, VA),
		  vmsa_steps(f.m));
	fx_done(&f);
}

/* CPU0 breaks VA, runs `tlbi` + DSB ISH, and remaps it to page[1]. */
static void break_tlbi_remap(struct fx *f, const char *tlbi)
{
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, VA), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, tlbi, VA);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, VA), fx_page_desc(f->page[1]));
}

/*
 * HCR_EL2.FB = 1 makes a local EL1 TLBI executed at EL1 broadcast in the
 * Inner Shareable domain (C5.5 TLBI VAE1: Broadcast_ForcedISH): with it
 * the break-before-make sequence using TLBI VAE1 is safe, and CPU1 sees
 * only the new page. Without FB the same sequence leaves CPU1's entry.
 */
TEST(model_tlb_hcr_fb_upgrades_local_tlbi)
{
	vmsa_features_t feat = vmsa_features_default();
	const char *why = NULL;
	struct fx f;
	struct script s;

	feat.hcr_fb = true;
	f.m = vmsa_machine_new(&feat, &why);
	CHECK(f.m != NULL);
	if (!f.m)
		return;
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	break_tlbi_remap(&f, "vae1");
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa1);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);

	/* The same without FB. */
	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	break_tlbi_remap(&f, "vae1");
	check_bbm(f.m, 0, 1, fx_page_desc(f.page[0]), fx_pte(&f, VA),
		  vmsa_steps(f.m));
	fx_done(&f);
}

/*
 * B2.4.1: "The completion of any cache or TLB maintenance instruction
 * includes its completion on all PEs that are affected by both the
 * instruction and the DSB". TLBI VAE1IS + DSB NSH is complete on the
 * issuer only: the remap names CPU1 (CPU0's entry is gone). A later DSB
 * ISH completes it everywhere.
 */
TEST(model_tlb_dsb_nsh_completes_broadcast_locally)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_NSH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	check_bbm(f.m, 0, 1, fx_page_desc(f.page[0]), fx_pte(&f, VA),
		  vmsa_steps(f.m));
	fx_done(&f);

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_dsb(f.m, 0, VMSA_BAR_NSH);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * A guest's local flush under HCR_EL2.FB = 1 (as Linux's
 * local_flush_tlb_all(): DSB NSHST; TLBI VMALLE1; DSB NSH; ISB): the TLBI
 * is broadcast, and the DSB NSH completes it at least on the issuing CPU
 * (B2.4.1), so a CPU alone in the context may then remap.
 */
TEST(model_tlb_hcr_fb_local_flush_completes_locally)
{
	vmsa_features_t feat = vmsa_features_default();
	const char *why = NULL;
	struct fx f;
	struct script s;
	vmsa_tlbi_op_t op;

	feat.hcr_fb = true;
	f.m = vmsa_machine_new(&feat, &why);
	CHECK(f.m != NULL);
	if (!f.m)
		return;
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_NSHST);
	CHECK_EQ(vmsa_tlbi_parse("vmalle1", &op), 0);
	vmsa_tlbi(f.m, 0, op, 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_NSH);
	vmsa_isb(f.m, 0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_NSH);
	vmsa_isb(f.m, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * RBLDZX: on the issuing PE, a completed TLBI's removed entries may still
 * be used until its next context synchronisation event. After TLBI
 * VAE1IS + DSB ISH and the remap, CPU0 is offered its old entry (and gets
 * the OLD page's data from it); CPU1 is not; after CPU0's ISB, neither is.
 */
TEST(model_tlb_issuer_keeps_entry_until_isb)
{
	struct fx f;
	struct script s;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	break_tlbi_remap(&f, "vae1is");
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);

	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK_EQ(s.n[0], 2);

	/* CPU1 (after its own ISB: no spurious values) has nothing stale. */
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa1);
	CHECK_EQ(s.calls, 0);

	vmsa_isb(f.m, 0);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * ALLE1*, VMALLS12E1* and IPAS2* are UNDEFINED at EL1 (C5.5); vmsa
 * reports executing one as an "undefined-instruction" violation at that
 * step, whether or not EL1 has a handler.
 */
TEST(model_tlb_el2_tlbi_at_el1_is_undefined)
{
	static const char *const names[] = {
		"ipas2e1is", "ipas2le1", "vmalls12e1is", "alle1",
	};

	for (unsigned i = 0; i < 4; i++) {
		struct fx f;
		const vmsa_violation_t *v;
		vmsa_tlbi_op_t op;

		fx_setup(&f, 2, 0);
		CHECK_EQ(vmsa_tlbi_parse(names[i], &op), 0);
		vmsa_tlbi(f.m, 1, op, vmsa_tlbi_ipa(0x80000000ull,
						    VMSA_GRANULE_4K, -1));
		v = vmsa_violation(f.m);
		CHECK(v != NULL);
		if (v) {
			CHECK_EQ(v->kind, VMSA_V_UNDEFINED);
			CHECK_EQ(v->cpu, 1);
			CHECK(v->rule == NULL);
			CHECK_EQ(v->step, vmsa_steps(f.m));
		}
		fx_done(&f);
	}
}

/* CPU0 unlinks the level-3 table (L2[0] := 0), DSB ISH, then `tlbi` for
 * VA + DSB ISH (none when tlbi is NULL), then frees the table page. */
static void unlink_free_l3(struct fx *f, const char *tlbi)
{
	vmsa_desc_write_pa(f->m, 0, f->l2, 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	if (tlbi) {
		fx_tlbi_va(f, 0, tlbi, VA);
		vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	}
	vmsa_page_free(f->m, 0, f->l3, 1);
	CHECK(vmsa_violation(f->m) == NULL);
}

static void check_freed_table_walk(vmsa_machine_t *m, int cpu)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_FREED_TABLE_WALK);
	CHECK_EQ(v->cpu, cpu);
	CHECK(v->rule == NULL);
	CHECK_EQ(v->step, vmsa_steps(m));
}

/*
 * Last-level TLBIs remove only final-level entries (IDMCXY): after TLBI
 * VALE1IS the walk-cache entry for the unlinked table stays, and with
 * FEAT_nTLBPA = 0 it may point at the table's physical page (RBKKRB): a
 * walk through it after the page is freed, or freed and reused, is a
 * walk through a freed table.
 */
TEST(model_tlb_vale1_leaves_walk_cache)
{
	struct fx f;
	struct script s;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	unlink_free_l3(&f, "vale1is");
	/* No held leaf; at L2: memory (invalid) or the held table entry. */
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 descriptor value");
	CHECK_EQ(s.n[0], 2);
	check_freed_table_walk(f.m, 1);
	fx_done(&f);

	/* The same once the page has been reused (as a data page): the held
	 * entry still leads there, and the table it meant was freed. */
	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	unlink_free_l3(&f, "vale1is");
	CHECK_EQ(vmsa_page_alloc(f.m, 0, 1, 1), f.l3);
	vmsa_phys_write(f.m, 0, f.l3 + 8, 8, 0x1234, true);
	CHECK(vmsa_violation(f.m) == NULL);
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 descriptor value");
	CHECK_EQ(s.n[0], 2);
	check_freed_table_walk(f.m, 1);
	fx_done(&f);
}

/*
 * TLBI VAE1IS removes the entries of every level for the VA (RVMSWQ),
 * walk-cache ones included: the table page can be freed and reused as a
 * new level-3 table, and CPU1 sees only the new mapping.
 */
TEST(model_tlb_vae1_removes_walk_cache)
{
	struct fx f;
	struct script s;
	vmsa_pa_t again;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	unlink_free_l3(&f, "vae1is");
	again = vmsa_page_alloc(f.m, 0, 1, 1);
	CHECK_EQ(again, f.l3);
	vmsa_desc_write_pa(f.m, 0, again + 8, fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, f.l2,
			   vmsa_desc_make_table(again, VMSA_GRANULE_4K));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_isb(f.m, 1);
	script_start(f.m, &s, NULL, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa1);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * A table freed without any TLBI: CPU1 may still hold the L3 leaf and the
 * L2 table entry. Walking (option 0 for the TLB hit) and taking the held
 * table entry at L2 reads the freed page: "freed-table-walk".
 */
TEST(model_tlb_table_free_without_tlbi)
{
	struct fx f;
	struct script s;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	unlink_free_l3(&f, NULL);
	script_start(f.m, &s, (const unsigned[]){0, 1}, 2);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);
	CHECK_EQ(s.calls, 2);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	CHECK_EQ(s.n[0], 2);
	CHECK_STR(s.what[1], "stage-1 descriptor value");
	CHECK_EQ(s.n[1], 2);
	check_freed_table_walk(f.m, 1);
	fx_done(&f);
}

/*
 * A data page freed after the break but without a TLBI: an access through
 * the leaf CPU1 still holds reaches the freed page,
 * "stale-use-after-free".
 */
TEST(model_tlb_stale_leaf_to_freed_page)
{
	struct fx f;
	struct script s;
	const vmsa_violation_t *v;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_page_free(f.m, 0, f.page[0], 1);
	CHECK(vmsa_violation(f.m) == NULL);
	script_start(f.m, &s, (const unsigned[]){1}, 1);
	CHECK_EQ(fx_read(&f, 1, VA), ~0ull);
	CHECK_EQ(s.calls, 1);
	CHECK_STR(s.what[0], "stage-1 TLB entry");
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_STALE_UAF);
		CHECK_EQ(v->cpu, 1);
		CHECK(v->rule == NULL);
		CHECK_EQ(v->step, vmsa_steps(f.m));
	}
	fx_done(&f);
}
