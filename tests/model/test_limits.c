/*
 * tests/model/test_limits.c - no behaviour is dropped silently: every
 * list of the model grows past the size it used to have, and the limits
 * that remain stop the execution with a `model-limit` violation naming
 * the limit and its value (docs/model.md, "Limits").
 */
#include "harness.h"

#include <stdio.h>

#include "model/machine.h"
#include "vmsa/explore.h"

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
