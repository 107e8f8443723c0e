/*
 * tests/model/fixture_block.h - the stage-1 fixture of fixture.h plus a
 * level-2 block: VA [FXB_VA, FXB_VA + 2M) -> a 2M-aligned physical region
 * `blk`, Normal Write-Back, EL1 read/write, Inner Shareable. Helpers build
 * the level-3 table that splits it into 512 pages with the same output
 * addresses and attributes (only the block size changes: RKFLJB), and
 * write the table or the block into the level-2 entry.
 */
#ifndef VMSA_TEST_MODEL_FIXTURE_BLOCK_H
#define VMSA_TEST_MODEL_FIXTURE_BLOCK_H

#include "fixture.h"

#define FXB_VA 0x200000ull	/* level-2 entry 1 of the fixture's table */
#define FXB_SIZE 0x200000ull

struct fxb {
	struct fx fx;
	vmsa_pa_t blk;		/* 2M of data pages */
	vmsa_pa_t split;	/* the level-3 table for the split */
};

/* The block descriptor (nT as given). */
static inline uint64_t fxb_block_desc(const struct fxb *b, bool nt)
{
	return vmsa_desc_make_s1_leaf(b->blk, 2, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true) |
	       (nt ? VMSA_D_NT : 0);
}

/* Page i of the block as a level-3 descriptor: same attributes. */
static inline uint64_t fxb_page_desc(const struct fxb *b, unsigned i)
{
	return vmsa_desc_make_s1_leaf(b->blk + (uint64_t)i * VMSA_PAGE_SIZE, 3,
				      VMSA_GRANULE_4K, 0, VMSA_AP_RW_EL1,
				      VMSA_SH_ISH, true);
}

static inline uint64_t fxb_table_desc(const struct fxb *b)
{
	return vmsa_desc_make_table(b->split, VMSA_GRANULE_4K);
}

/* PA of the level-2 entry that holds the block or the table. */
static inline vmsa_pa_t fxb_l2e(const struct fxb *b)
{
	return b->fx.l2 + 8 * (FXB_VA >> 21);
}

/* Data of the block's page i (first word), written at set-up. */
static inline uint64_t fxb_data(unsigned i)
{
	return 0xb000 + i;
}

/*
 * A machine with ncpus CPUs at BBM level `bbm` (may_abort as given), the
 * fixture's tables plus the block region, and every CPU at EL1. With
 * `split`, the level-2 entry is the split table (filled at set-up: a
 * collapse starts there); otherwise it is the block and the split table
 * is allocated, empty.
 */
static inline void fxb_setup_ex(struct fxb *b, unsigned ncpus, unsigned bbm,
				bool may_abort, bool split)
{
	struct fx *f = &b->fx;
	vmsa_machine_t *m;

	f->m = m = fx_machine(ncpus, bbm, may_abort);
	fx_tables(f);
	b->blk = vmsa_page_alloc(m, VMSA_SETUP, FXB_SIZE / VMSA_PAGE_SIZE,
				 FXB_SIZE / VMSA_PAGE_SIZE);
	b->split = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < FXB_SIZE / VMSA_PAGE_SIZE; i++)
		vmsa_phys_write(m, VMSA_SETUP,
				b->blk + (uint64_t)i * VMSA_PAGE_SIZE, 8,
				fxb_data(i), true);
	if (split) {
		for (unsigned i = 0; i < FXB_SIZE / VMSA_PAGE_SIZE; i++)
			vmsa_desc_write_pa(m, VMSA_SETUP, b->split + 8 * i,
					   fxb_page_desc(b, i));
		vmsa_desc_write_pa(m, VMSA_SETUP, fxb_l2e(b),
				   fxb_table_desc(b));
	} else {
		vmsa_desc_write_pa(m, VMSA_SETUP, fxb_l2e(b),
				   fxb_block_desc(b, false));
	}
	for (unsigned c = 0; c < ncpus; c++)
		fx_enter_el1(f, (int)c);
}

/* The block mapped by a level-2 block descriptor. */
static inline void fxb_setup(struct fxb *b, unsigned ncpus, unsigned bbm,
			     bool may_abort)
{
	fxb_setup_ex(b, ncpus, bbm, may_abort, false);
}

/* CPU cpu fills the split table (not yet reachable: no TLB can hold any
 * of it) and publishes it with DSB ISH. */
static inline void fxb_fill_split(struct fxb *b, int cpu)
{
	for (unsigned i = 0; i < FXB_SIZE / VMSA_PAGE_SIZE; i++)
		vmsa_desc_write_pa(b->fx.m, cpu, b->split + 8 * i,
				   fxb_page_desc(b, i));
	vmsa_dsb(b->fx.m, cpu, VMSA_BAR_ISH);
}

/* Read VA FXB_VA + page i on cpu: its data, or ~0 when the access did not
 * complete. */
static inline uint64_t fxb_read(struct fxb *b, int cpu, unsigned i)
{
	return fx_read(&b->fx, cpu, FXB_VA + (uint64_t)i * VMSA_PAGE_SIZE);
}

static inline void fxb_tlbi(struct fxb *b, int cpu, const char *name,
			    uint64_t xt)
{
	vmsa_tlbi_op_t op;

	if (vmsa_tlbi_parse(name, &op)) {
		vt_fail(__FILE__, __LINE__, "bad TLBI name %s", name);
		return;
	}
	vmsa_tlbi(b->fx.m, cpu, op, xt);
}

static inline void fxb_done(struct fxb *b)
{
	fx_done(&b->fx);
}

#endif
