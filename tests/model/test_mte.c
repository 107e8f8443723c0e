/*
 * FEAT_MTE2 in the model (include/vmsa/model.h, "Memory tagging";
 * src/model/mte.c): Tagged memory declared by set-up, Allocation Tags
 * stored by vmsa_tag_store (STG), and Tag Checked loads and stores whose
 * Logical Address Tag (VA[59:56], RQTQDK) differs from the granule's
 * Allocation Tag take a synchronous Tag Check Fault: a Data Abort with
 * DFSC 0b010001 and FAR the tagged VA (RBJWLM, D10.7). Sequentially
 * consistent memory here (no `relaxed`): the ordering of tag reads is
 * tested through the litmus front end (tests/litmus/test_litmus_memtag.sh).
 */
#include "fixture.h"

#define TAG(t) ((uint64_t)(t) << 56)

static struct vmsa_exception seen;
static unsigned n_seen;

/* Record the abort and skip the instruction (herd's faulttonext). */
static void record(vmsa_machine_t *m, vmsa_cpu_t cpu,
		   const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	seen = *e;
	n_seen++;
	vmsa_skip_insn(m, cpu);
}

/* The fixture's machine with page[0] (VA 0x1000) Tagged, its tags in
 * page[3], CPU0 at EL1 with TBI0 and SCTLR_EL1.TCF = tcf. */
static void mte_setup(struct fx *f, uint64_t tcf)
{
	f->m = fx_machine(1, 0, true);
	fx_tables(f);
	/* Set-up's data in page[3] would be tags: clear it. */
	vmsa_phys_write(f->m, VMSA_SETUP, f->page[3], 8, 0, true);
	CHECK(vmsa_mte_tagged(f->m, VMSA_SETUP, f->page[0], 1, f->page[3]));
	vmsa_msr(f->m, 0, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(f->m, 0, VMSA_REG_TCR_EL1, FX_TCR | VMSA_TCR_TBI0);
	vmsa_msr(f->m, 0, VMSA_REG_TTBR0_EL1,
		 f->l1 | (uint64_t)FX_ASID << 48);
	vmsa_msr(f->m, 0, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M | tcf);
	vmsa_eret(f->m, 0, 1);
	memset(&seen, 0, sizeof(seen));
	n_seen = 0;
	vmsa_set_handler(f->m, 0, 1, record, NULL);
}

/* Granule 0 of page[0] starts green (0): a green pointer passes, a red
 * one faults with DFSC 0x11 (EC 0x25, same EL; ISV = 0), FAR keeping the
 * tag; the handler skipped the load, which read nothing. */
TEST(mte_check_fault)
{
	struct fx f;
	uint64_t v = 7;

	mte_setup(&f, VMSA_SCTLR_TCF_SYNC);
	CHECK_EQ(vmsa_mte_tag_pa(f.m, f.page[0] + 0x10), f.page[3] + 8);
	CHECK_EQ(vmsa_mte_tag_pa(f.m, f.page[1]), 0);
	CHECK(vmsa_read(f.m, 0, 0x1000, 8, &v));
	CHECK_EQ(v, 0xa0);
	CHECK_EQ(n_seen, 0);
	v = 7;
	CHECK(!vmsa_read(f.m, 0, 0x1000 | TAG(1), 8, &v));
	CHECK_EQ(n_seen, 1);
	CHECK_EQ(seen.type, VMSA_EXC_DATA_ABORT);
	CHECK_EQ(seen.to_el, 1);
	CHECK_EQ(seen.esr, 0x96000011);
	CHECK(seen.far_valid);
	CHECK_EQ(seen.far, 0x1000 | TAG(1));
	CHECK_EQ(seen.fault.kind, VMSA_FAULT_TAG_CHECK);
	CHECK_EQ(seen.fault.fsc, 0x11);
	CHECK(!vmsa_stopped(f.m));
	/* A store: WnR set, and memory unchanged. */
	CHECK(!vmsa_write(f.m, 0, 0x1008 | TAG(2), 8, 5));
	CHECK_EQ(n_seen, 2);
	CHECK_EQ(seen.esr, 0x96000051);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[0] + 8, 8, true), 0);
	fx_done(&f);
}

/* vmsa_tag_store colours one granule (the VA aligned down to 16, its own
 * tag bits ignored): red pointers then pass there and fault next door;
 * the tag is the word's bits [3:0]. An untagged page stores nothing. */
TEST(mte_tag_store)
{
	struct fx f;
	uint64_t v;

	mte_setup(&f, VMSA_SCTLR_TCF_SYNC);
	CHECK(vmsa_tag_store(f.m, 0, 0x1018 | TAG(9), 1, NULL));
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[3] + 8, 8, true), 1);
	CHECK(vmsa_write(f.m, 0, 0x1010 | TAG(1), 8, 3));
	CHECK(vmsa_read(f.m, 0, 0x1018 | TAG(1), 8, &v));
	CHECK_EQ(n_seen, 0);
	CHECK(!vmsa_read(f.m, 0, 0x1020 | TAG(1), 8, &v));
	CHECK_EQ(n_seen, 1);
	CHECK_EQ(vmsa_phys_read(f.m, VMSA_SETUP, f.page[0] + 0x10, 8, true),
		 3);
	fx_done(&f);
}

/* TCF = 0b00 (Tag Check Faults have no effect): nothing is checked. */
TEST(mte_tcf_off)
{
	struct fx f;
	uint64_t v;

	mte_setup(&f, 0);
	CHECK(vmsa_read(f.m, 0, 0x1000 | TAG(5), 8, &v));
	CHECK_EQ(v, 0xa0);
	CHECK_EQ(n_seen, 0);
	fx_done(&f);
}

/* Bad calls: a CPU declaring Tagged memory, npages 0, an unaligned page,
 * a tag of more than 4 bits. */
TEST(mte_bad_calls)
{
	struct fx f;
	const vmsa_violation_t *v;

	f.m = fx_machine(1, 0, true);
	fx_tables(&f);
	CHECK(!vmsa_mte_tagged(f.m, VMSA_SETUP, f.page[0], 0, f.page[3]));
	v = vmsa_violation(f.m);
	CHECK(v && v->kind == VMSA_V_BAD_CALL);
	fx_done(&f);
	f.m = fx_machine(1, 0, true);
	fx_tables(&f);
	CHECK(!vmsa_mte_tagged(f.m, VMSA_SETUP, f.page[0] + 16, 1,
			       f.page[3]));
	CHECK(vmsa_violation(f.m) != NULL);
	fx_done(&f);
	fx_setup(&f, 1, 0);
	CHECK(!vmsa_mte_tagged(f.m, 0, f.page[0], 1, f.page[3]));
	v = vmsa_violation(f.m);
	CHECK(v && v->kind == VMSA_V_BAD_CALL);
	if (v)
		CHECK_STR(v->message, "scenario error: vmsa_mte_tagged: only "
			  "set-up code "
			  "(VMSA_SETUP) may declare Tagged memory");
	fx_done(&f);
	fx_setup(&f, 1, 0);
	CHECK(!vmsa_tag_store(f.m, 0, 0x1000, 16, NULL));
	v = vmsa_violation(f.m);
	CHECK(v && v->kind == VMSA_V_BAD_CALL);
	fx_done(&f);
}
