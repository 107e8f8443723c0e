/*
 * tests/model/test_limits.c - no behaviour is dropped silently: every
 * list of the model grows past the size it used to have, and the limits
 * that remain stop the execution with a `model-limit` violation naming
 * the limit and its value (docs/model.md, "Limits").
 */
#include "harness.h"

#include <stdio.h>

#include "chooser.h"
#include "fixture.h"
#include "model/machine.h"
#include "vmsa/explore.h"

/* Page 0's descriptor for VA 0x1000 made distinct by bits a change
 * needs no break for (software bits [58:55], then AP): variant i. */
static uint64_t variant(const struct fx *f, unsigned i)
{
	return fx_page_desc(f->page[0]) | (uint64_t)(i & 15) << VMSA_D_SW_SHIFT |
	       (uint64_t)(i >> 4) << VMSA_D_AP_SHIFT;
}

/* A violation keeps every entry it was given, however many. */
TEST(limit_violation_entries_all_kept)
{
	vmsa_machine_t *m;
	vmsa_features_t f = vmsa_features_default();
	const vmsa_violation_t *v;

	m = vmsa_machine_new(&f, NULL);
	CHECK(m != NULL);
	if (!m)
		return;
	for (unsigned i = 0; i < 40; i++)
		violation_entry(m, &(vmsa_violation_entry_t){
			.cpu = (int)(i % 2), .desc = 0x1000u + i,
			.loc = 0x40000000u + 8u * i});
	violation(m, 1, VMSA_V_BBM, "RWHZWS", "forty entries");
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->n_entries, 40);
	for (unsigned i = 0; i < 40; i++) {
		if (v->entries[i].desc != 0x1000u + i ||
		    v->entries[i].loc != 0x40000000u + 8u * i ||
		    v->entries[i].cpu != (int)(i % 2))
			CHECK_EQ(v->entries[i].desc, 0x1000u + i);
	}
	/* Entries offered after the execution stopped belong to nothing. */
	violation_entry(m, &(vmsa_violation_entry_t){.desc = 1});
	CHECK_EQ(vmsa_violation(m)->n_entries, 40);
	/* A reset forgets them; the next violation has only its own. */
	vmsa_machine_reset(m);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_report(m, 0, VMSA_V_ASSERT, "none");
	CHECK_EQ(vmsa_violation(m)->n_entries, 0);
	CHECK(vmsa_violation(m)->entries == NULL);
	vmsa_machine_free(m);
}

/* An explore result owns a copy of the entries: they outlive the machine
 * (freed before vmsa_explore returns; ASan would see a dangling read). */
TEST(limit_violation_entries_in_explore_result)
{
	const vmsa_scenario_t *s =
		vmsa_scenario_find("bbm/missing-dsb-before-tlbi");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(vmsa_explore(s, "bbm0", &o, &res), 0);
	CHECK_STR(res.verdict, "bbm");
	CHECK_EQ(res.violation.n_entries, 1);
	if (res.violation.n_entries == 1) {
		CHECK_EQ(res.violation.entries[0].cpu, 0);
		CHECK_EQ(res.violation.entries[0].loc, 0x40002008u);
		CHECK_EQ(res.violation.entries[0].tag.level, 3);
	}
	vmsa_explore_result_free(&res);
	CHECK(res.violation.entries == NULL);
	CHECK_EQ(res.violation.n_entries, 0);
}

/*
 * 20 stores to one descriptor, none visible to walks yet (no DSB): a walk
 * of another CPU may read any of them or the visible value (RSPVBD), and
 * its TLB may hold every overwritten one. Before, a history kept 8 values
 * and a walk offered at most 16 values and 15 held leaves.
 */
TEST(limit_walk_candidates_and_history_grow)
{
	static const unsigned picks[] = {0, 20};
	struct fx f;
	struct ch ch;
	const struct ch_call *c;

	fx_setup(&f, 2, 0);
	for (unsigned i = 1; i <= 20; i++)
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), variant(&f, i));
	CHECK(vmsa_violation(f.m) == NULL);
	/* CPU1 holds the set-up value and the first 19 stores. */
	CHECK_EQ(vmsa_held_count(f.m, 1), 20);
	ch_init(&ch, picks, 2);
	ch_attach(&ch, f.m);
	/* Walk (not a held leaf), then take the oldest value: set-up's. */
	CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0);
	CHECK_EQ(ch.n_calls, 2);
	c = ch_find(&ch, "stage-1 TLB entry");
	CHECK(c != NULL);
	if (c)
		CHECK_EQ(c->n, 21);
	c = ch_find(&ch, "stage-1 descriptor value");
	CHECK(c != NULL);
	if (c) {
		CHECK_EQ(c->n, 21);
		CHECK_EQ(c->pick, 20);
	}
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * A spurious Translation fault from a value 11 stores old: VA 0x2000 was
 * invalid when CPU1 last synchronised its context, then mapped and
 * rewritten 10 times, each store published with a DSB. Without FEAT_ETS2
 * a walk of CPU1 may have been done early and read the invalid value
 * (ARCH-RULES section 6). A history of 8 values had lost it.
 */
TEST(limit_history_keeps_old_invalid_values)
{
	static const unsigned picks[] = {1};
	struct fx f;
	struct ch ch;
	const struct ch_call *c;
	const vmsa_violation_t *v;
	vmsa_pa_t pa;

	fx_setup(&f, 2, 0);
	pa = fx_pte(&f, 0x2000);
	for (unsigned i = 0; i <= 10; i++) {
		vmsa_desc_write_pa(f.m, 0, pa,
				   fx_page_desc(f.page[1]) |
					   (uint64_t)i << VMSA_D_SW_SHIFT);
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	}
	CHECK(vmsa_violation(f.m) == NULL);
	ch_init(&ch, picks, 1);
	ch_only(&ch, "stage-1 descriptor value");
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, 0x2000), ~0ull);
	c = ch_find(&ch, "stage-1 descriptor value");
	CHECK(c != NULL);
	if (c)
		CHECK_EQ(c->n, 2); /* now, and the old invalid value */
	/* The 10 overwritten values are held leaves of CPU1. */
	c = ch_find(&ch, "stage-1 TLB entry");
	CHECK(c != NULL);
	if (c)
		CHECK_EQ(c->n, 11);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK(strstr(v->message, "FAR 0x2000 (translation, stage 1, "
					 "level 3)") != NULL);
	}
	fx_done(&f);
}

/* CPU0 runs with the fixture's tables under ASIDs 101 .. 100 + n (a
 * context each, all cached: it is at EL1). */
static void many_asids(struct fx *f, unsigned n)
{
	for (unsigned a = 101; a <= 100 + n; a++)
		vmsa_msr(f->m, 0, VMSA_REG_TTBR0_EL1,
			 f->l1 | (uint64_t)a << 48);
}

/*
 * n address spaces share one table with the fixture's (ASID 5): n + 1
 * contexts at EL1 (and one at EL2 from set-up), so the descriptor is in
 * n + 1 places. Every place gets its held entry, and the break-before-make
 * check runs in each: a missed invalidation in the last one is found.
 */
static void shared_table(unsigned n)
{
	struct fx f;
	const vmsa_violation_t *v;
	vmsa_tlbi_op_t op;
	uint64_t ng = fx_page_desc(0) | VMSA_D_NG;

	fx_setup(&f, 2, 0);
	/* Non-global, so that each address space has its own entry. */
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x1000),
			   ng | f.page[0]);
	many_asids(&f, n);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(f.m->n_ctx, n + 2);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(vmsa_held_count(f.m, 0), n + 1);
	CHECK_EQ(vmsa_held_count(f.m, 1), 1);
	/* Invalidate every address space but the last. */
	CHECK_EQ(vmsa_tlbi_parse("vae1is", &op), 0);
	vmsa_tlbi(f.m, 0, op, vmsa_tlbi_va(0x1000, FX_ASID, VMSA_GRANULE_4K, -1));
	for (unsigned a = 101; a < 100 + n; a++)
		vmsa_tlbi(f.m, 0, op,
			  vmsa_tlbi_va(0x1000, (uint16_t)a, VMSA_GRANULE_4K, -1));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	CHECK_EQ(vmsa_held_count(f.m, 0), 1);
	CHECK_EQ(vmsa_held_count(f.m, 1), 0);
	/* The missed invalidation is in the last place. */
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), ng | f.page[1]);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_EQ(v->n_entries, 1);
		CHECK_EQ(v->entries[0].cpu, 0);
		CHECK_EQ(v->entries[0].tag.asid, 100 + n);
		CHECK_EQ(v->entries[0].desc, ng | f.page[0]);
	}
	fx_done(&f);
}

/* A store used to see 16 places of its descriptor: the TLB entries of the
 * others were never held nor checked. */
TEST(limit_descriptor_places_grow)
{
	shared_table(20);
}

/* An execution could have 64 contexts (then a model-limit violation). */
TEST(limit_contexts_grow)
{
	shared_table(70);
}

/*
 * A store that competes with 71 held entries (a global entry held in 71
 * contexts): every one is checked (more than the 64 the check once
 * collected before falling back to a slower path).
 */
TEST(limit_store_checks_every_competing_entry)
{
	struct fx f;
	const vmsa_violation_t *v;

	fx_setup(&f, 2, 0);
	many_asids(&f, 70);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), 0);
	CHECK_EQ(vmsa_held_count(f.m, 0), 71);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000),
			   fx_page_desc(f.page[1]));
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RWHZWS");
		CHECK_EQ(v->entries[0].desc, fx_page_desc(f.page[0]));
	}
	fx_done(&f);
}

static unsigned nested_calls;

/* An EL1 handler that faults again at EL1, forever: on the same address
 * (arg NULL), or each time on the next page (arg non-NULL). */
static void fault_again(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	uint64_t v;

	(void)e;
	nested_calls++;
	vmsa_read(m, cpu, 0x5000 + (arg ? nested_calls * 0x1000ull : 0), 8,
		  &v);
}

/* A handler that retakes its own exception, nested as deep as the model
 * allows, is the scenario's unending recursion, named as such. */
TEST(limit_exception_recursion_is_named)
{
	static const char want[] =
		"CPU0: the handler at EL1 takes its own exception again "
		"before it removes its cause, 9 times nested (without end: "
		"its stack overflows): data abort EL1->EL1 ";
	struct fx f;
	const vmsa_violation_t *v;

	fx_setup(&f, 1, 0);
	nested_calls = 0;
	vmsa_set_handler(f.m, 0, 1, fault_again, NULL);
	CHECK_EQ(fx_read(&f, 0, 0x5000), ~0ull);
	CHECK_EQ(nested_calls, 8);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_RECURSION);
		CHECK_STR(vmsa_violation_kind_name(v->kind),
			  "recursive-exception");
		CHECK_EQ(strncmp(v->message, want, sizeof(want) - 1), 0);
		CHECK(strstr(v->message, "FAR 0x5000 (translation, stage 1, "
					 "level 3)") != NULL);
	}
	fx_done(&f);
}

/* Nested handlers that fault on different addresses stop at the model's
 * limit, which the violation names with its value. */
TEST(limit_exception_nesting_is_a_model_limit)
{
	static const char want[] =
		"model limit: CPU0 would nest a 9th exception handler (at most "
		"8: MAX_DEPTH in src/model/machine.h): ";
	struct fx f;
	const vmsa_violation_t *v;

	fx_setup(&f, 1, 0);
	nested_calls = 0;
	vmsa_set_handler(f.m, 0, 1, fault_again, &f);
	CHECK_EQ(fx_read(&f, 0, 0x5000), ~0ull);
	CHECK_EQ(nested_calls, 8);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_MODEL_LIMIT);
		CHECK_EQ(strncmp(v->message, want, sizeof(want) - 1), 0);
		CHECK(strstr(v->message, "FAR 0xd000 (translation, stage 1, "
					 "level 3)") != NULL);
	}
	fx_done(&f);
}

/*
 * Histories keep only what a walk may still use: once every CPU has
 * synchronised its context after a value was overwritten (and the
 * overwrite published), no walk can read it, so 100 published rewrites
 * with both CPUs synchronising in between fit the first 8 slots.
 */
TEST(limit_history_drops_only_dead_values)
{
	struct fx f;
	const struct hist *h;

	fx_setup(&f, 2, 0);
	for (unsigned i = 1; i <= 100; i++) {
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000), variant(&f, i));
		vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
		vmsa_isb(f.m, 0);
		vmsa_isb(f.m, 1);
	}
	CHECK(vmsa_violation(f.m) == NULL);
	h = hist_find(&f.m->hist, fx_pte(&f, 0x1000));
	CHECK(h != NULL);
	if (h) {
		CHECK_EQ(h->cap, HIST_FIRST_CAP);
		CHECK_EQ(h->v[h->n - 1].value, variant(&f, 100));
	}
	fx_done(&f);
}
