/*
 * tests/model/fixture.h - small machines for the model tests: a stage-1
 * EL1&0 table (4K granule, 39-bit VA, start level 1) mapping VA 0..2M
 * through one level-3 table, and helpers to run CPUs at EL1 with it.
 */
#ifndef VMSA_TEST_MODEL_FIXTURE_H
#define VMSA_TEST_MODEL_FIXTURE_H

#include "harness.h"
#include "vmsa/model.h"

#define FX_ASID 5u
#define FX_TCR (25ull | (1ull << 23) | (2ull << 32)) /* T0SZ 25, EPD1, 40-bit IPS */
#define FX_MAIR 0x00ffull                           /* 0: NormalWB, 1: Device */

struct fx {
	vmsa_machine_t *m;
	vmsa_pa_t l1, l2, l3;   /* the tables */
	vmsa_pa_t page[4];      /* data pages */
};

/* A machine with features *ft; the test fails if it cannot be made. */
static inline vmsa_machine_t *fx_machine_with(const vmsa_features_t *ft)
{
	const char *why = NULL;
	vmsa_machine_t *m = vmsa_machine_new(ft, &why);

	if (!m)
		vt_fail(__FILE__, __LINE__, "vmsa_machine_new: %s", why);
	return m;
}

/* A machine with the defaults and ncpus CPUs at BBM level bbm. */
static inline vmsa_machine_t *fx_machine(unsigned ncpus, unsigned bbm,
					 bool may_abort)
{
	vmsa_features_t f = vmsa_features_default();

	f.ncpus = ncpus;
	f.bbm_level = bbm;
	f.bbm_may_abort = may_abort;
	return fx_machine_with(&f);
}

static inline uint64_t fx_page_desc(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

/* Build the tables (set-up writes) and map VA 0x1000 -> page[0]. */
static inline void fx_tables(struct fx *f)
{
	vmsa_machine_t *m = f->m;

	f->l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	f->l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	f->l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < 4; i++)
		f->page[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(m, VMSA_SETUP, f->l1,
			   vmsa_desc_make_table(f->l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, f->l2,
			   vmsa_desc_make_table(f->l3, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, f->l3 + 8,
			   fx_page_desc(f->page[0]));
	/* Recognisable data in each page. */
	for (unsigned i = 0; i < 4; i++)
		vmsa_phys_write(m, VMSA_SETUP, f->page[i], 8, 0xa0 + i, true);
}

/* PA of the level-3 descriptor of va (va < 2M). */
static inline vmsa_pa_t fx_pte(const struct fx *f, uint64_t va)
{
	return f->l3 + 8 * ((va >> 12) & 511);
}

/* CPU cpu: EL1&0 stage 1 on with the fixture's tables, then ERET to EL1. */
static inline void fx_enter_el1(struct fx *f, int cpu)
{
	vmsa_machine_t *m = f->m;

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, FX_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1, f->l1 | (uint64_t)FX_ASID << 48);
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, 1);
	vmsa_eret(m, cpu, 1);
}

static inline void fx_setup(struct fx *f, unsigned ncpus, unsigned bbm)
{
	f->m = fx_machine(ncpus, bbm, true);
	fx_tables(f);
	for (unsigned c = 0; c < ncpus; c++)
		fx_enter_el1(f, (int)c);
}

/* TLBI by VA for the fixture's ASID. */
static inline void fx_tlbi_va(struct fx *f, int cpu, const char *name,
			      uint64_t va)
{
	vmsa_tlbi_op_t op;

	if (vmsa_tlbi_parse(name, &op)) {
		vt_fail(__FILE__, __LINE__, "bad TLBI name %s", name);
		return;
	}
	vmsa_tlbi(f->m, cpu, op, vmsa_tlbi_va(va, FX_ASID, VMSA_GRANULE_4K, -1));
}

/* Read va on cpu; the value read, or ~0 when the access did not complete. */
static inline uint64_t fx_read(struct fx *f, int cpu, uint64_t va)
{
	uint64_t v;

	return vmsa_read(f->m, cpu, va, 8, &v) ? v : ~0ull;
}

static inline void fx_done(struct fx *f)
{
	vmsa_machine_free(f->m);
	f->m = NULL;
}

#endif
