/*
 * The Contiguous bit in the model: break-before-make and TLB conflicts
 * between a page and a neighbour of the same contiguous range.
 *
 * A leaf with the Contiguous bit may be cached as covering its whole
 * contiguous range (D8.7.1, Table D8-104: 16 pages, 64K, at level 3 with
 * 4K granules). So an entry a TLB may hold for one page and a neighbour
 * newly marked contiguous translate the same address: if their Contiguous
 * bits differ the range is misprogrammed (RQTRPM) and a lookup may give
 * an inconsistent mix without FEAT_BBM level 1 or 2, or a TLB conflict
 * abort (RNGLXZ). At level 1 changing the Contiguous bit needs no break
 * (RKHRBC) but may conflict-abort (RFCPSG); at level 2 likewise (IHYQMB).
 *
 * The fixture: VA 0..64K is one contiguous range of the level-3 table,
 * mapped linearly to a 64K-aligned run of 16 pages, so that only the
 * Contiguous bit differs between neighbours. The last tests do the same
 * at stage 2, where the conflict goes to EL2.
 */
#include <string.h>

#include "chooser.h"
#include "fixture_s2.h"

#define CONFLICT "TLB conflict abort"
#define NPAGES 16u		/* Table D8-104: 4K granule, level 3 */
#define VA_X 0x1000ull		/* the page CPU1 uses */
#define VA_Y 0x0000ull		/* its neighbour in the same range */

struct cx {
	struct fx fx;
	vmsa_pa_t run;		/* 16 pages, 64K aligned */
};

static uint64_t cx_desc(const struct cx *c, uint64_t va, bool contig)
{
	uint64_t d = fx_page_desc(c->run + va);

	return contig ? d | VMSA_D_CONT : d;
}

/*
 * Tables of fixture.h; VA_X maps run + VA_X without the Contiguous bit.
 * Only CPU1 runs with the MMU on, so it is the one CPU that may hold
 * entries: CPU0 only writes descriptors.
 */
static void cx_setup(struct cx *c, unsigned bbm, bool may_abort)
{
	struct fx *f = &c->fx;

	f->m = fx_machine(2, bbm, may_abort);
	fx_tables(f);
	c->run = vmsa_page_alloc(f->m, VMSA_SETUP, NPAGES, NPAGES);
	CHECK(c->run != VMSA_BAD_PA);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, VA_X),
			   cx_desc(c, VA_X, false));
	vmsa_phys_write(f->m, VMSA_SETUP, c->run + VA_X, 8, 0xc1, true);
	fx_enter_el1(f, 1);
	CHECK_EQ(fx_read(f, 1, VA_X), 0xc1);
	CHECK(vmsa_violation(f->m) == NULL);
}

/* CPU0 writes VA_Y's descriptor, invalid until now, with the Contiguous
 * bit: the range holds one contiguous and one non-contiguous valid page. */
static uint64_t write_contig_neighbour(struct cx *c)
{
	vmsa_desc_write_pa(c->fx.m, 0, fx_pte(&c->fx, VA_Y),
			   cx_desc(c, VA_Y, true));
	return vmsa_steps(c->fx.m);
}

/* The violation the write at `step` must be at level 0: RNGLXZ, naming
 * CPU1's entry `held` for VA_X's descriptor. */
static void check_contig_bbm(const struct cx *c, uint64_t step, uint64_t held,
			     uint64_t loc)
{
	const vmsa_violation_t *v = vmsa_violation(c->fx.m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_STR(v->rule, "RNGLXZ");
	CHECK_EQ(v->cpu, 0);
	CHECK_EQ(v->step, step);
	CHECK(strstr(v->message, "Contiguous bit changed without FEAT_BBM "
			      "level 1 or 2") != NULL);
	CHECK_EQ(v->n_entries, 1);
	if (v->n_entries == 1) {
		CHECK_EQ(v->entries[0].cpu, 1);
		CHECK_EQ(v->entries[0].desc, held);
		CHECK_EQ(v->entries[0].loc, loc);
	}
	CHECK(vmsa_stopped(c->fx.m));
}

/*
 * Level 0: CPU1 may hold VA_X's page (memory's value); the new contiguous
 * entry for VA_Y may be cached as covering VA_X too. Without FEAT_BBM
 * level 1 or 2 that needs break-before-make (RNGLXZ): a bbm violation at
 * the write, naming CPU1's page.
 */
TEST(model_contig_neighbour_marked_level0_is_bbm)
{
	struct cx c;
	uint64_t step;

	cx_setup(&c, 0, true);
	step = write_contig_neighbour(&c);
	check_contig_bbm(&c, step, cx_desc(&c, VA_X, false),
			 fx_pte(&c.fx, VA_X));
	fx_done(&c.fx);
}

/*
 * Level 1: changing the Contiguous bit needs no break (RKHRBC), but a
 * lookup may hit both entries and raise a TLB conflict abort (RFCPSG,
 * RNGLXZ): no violation at the write; CPU1's next read of VA_X is offered
 * the conflict abort, and taking it with no handler is
 * conflict-abort-unhandled at that read.
 */
TEST(model_contig_neighbour_marked_level1_may_conflict)
{
	static const unsigned picks[] = {1};
	const vmsa_violation_t *v;
	struct ch ch;
	struct cx c;
	uint64_t step;

	cx_setup(&c, 1, true);
	write_contig_neighbour(&c);
	vmsa_dsb(c.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	ch_init(&ch, picks, 1);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, c.fx.m);
	CHECK_EQ(fx_read(&c.fx, 1, VA_X), ~0ull);
	step = vmsa_steps(c.fx.m);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	v = vmsa_violation(c.fx.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_CONFLICT_UNHANDLED);
		CHECK_EQ(v->cpu, 1);
		CHECK_EQ(v->step, step);
	}
	fx_done(&c.fx);
}

/* Level 1, the conflict not taken: the read uses VA_X's own page. */
TEST(model_contig_neighbour_marked_level1_no_abort_reads_page)
{
	struct ch ch;
	struct cx c;

	cx_setup(&c, 1, true);
	write_contig_neighbour(&c);
	vmsa_dsb(c.fx.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, c.fx.m);
	CHECK_EQ(fx_read(&c.fx, 1, VA_X), 0xc1);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	fx_done(&c.fx);
}

/* Level 2 that may abort: legal at the write (RKFLJB, RKHRBC); the
 * conflict abort is still offered (IHYQMB). */
TEST(model_contig_neighbour_marked_level2_may_conflict)
{
	struct ch ch;
	struct cx c;

	cx_setup(&c, 2, true);
	write_contig_neighbour(&c);
	vmsa_dsb(c.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, c.fx.m);
	CHECK_EQ(fx_read(&c.fx, 1, VA_X), 0xc1);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	fx_done(&c.fx);
}

/* Level 2, never aborts (BBML2_NOABORT): legal, and no abort offered. */
TEST(model_contig_neighbour_marked_level2_noabort)
{
	struct ch ch;
	struct cx c;

	cx_setup(&c, 2, false);
	write_contig_neighbour(&c);
	vmsa_dsb(c.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, c.fx.m);
	CHECK_EQ(fx_read(&c.fx, 1, VA_X), 0xc1);
	CHECK_EQ(ch_count(&ch, CONFLICT), 0);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	fx_done(&c.fx);
}

/*
 * The other direction: CPU1 may hold a contiguous entry for VA_Y (the
 * whole range was contiguous; CPU0 broke it but invalidated VA_X only:
 * the Contiguous bit does not widen a TLBI, RLQLSD), and CPU0 writes
 * VA_X without the Contiguous bit. The held entry covers VA_X.
 */
static uint64_t rewrite_after_partial_tlbi(struct cx *c)
{
	struct fx *f = &c->fx;

	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t va = (uint64_t)i * VMSA_PAGE_SIZE;

		vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, va),
				   cx_desc(c, va, true));
	}
	/* CPU1's TLB may now hold VA_Y's contiguous entry. */
	CHECK_EQ(fx_read(f, 1, VA_Y), 0);
	for (unsigned i = 0; i < NPAGES; i++)
		vmsa_desc_write_pa(f->m, 0,
				   fx_pte(f, (uint64_t)i * VMSA_PAGE_SIZE), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vae1is", VA_X);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f->m) == NULL);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, VA_X), cx_desc(c, VA_X, false));
	return vmsa_steps(f->m);
}

TEST(model_contig_held_range_covers_neighbour_level0_is_bbm)
{
	struct cx c;
	uint64_t step;

	cx_setup(&c, 0, true);
	step = rewrite_after_partial_tlbi(&c);
	check_contig_bbm(&c, step, cx_desc(&c, VA_Y, true),
			 fx_pte(&c.fx, VA_Y));
	fx_done(&c.fx);
}

/* Level 1: legal at the write (RKHRBC); CPU1's read of VA_X may hit the
 * held contiguous entry and VA_X's page: the conflict abort is offered
 * (RFCPSG) although memory has no contiguous entry left. */
TEST(model_contig_held_range_covers_neighbour_level1_is_legal)
{
	struct ch ch;
	struct cx c;

	cx_setup(&c, 1, true);
	rewrite_after_partial_tlbi(&c);
	vmsa_dsb(c.fx.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, c.fx.m);
	CHECK_EQ(fx_read(&c.fx, 1, VA_X), 0xc1);
	CHECK_EQ(ch_count(&ch, CONFLICT), 1);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	fx_done(&c.fx);
}

TEST(model_contig_held_range_covers_neighbour_level2_is_legal)
{
	struct cx c;

	cx_setup(&c, 2, true);
	rewrite_after_partial_tlbi(&c);
	CHECK(vmsa_violation(c.fx.m) == NULL);
	fx_done(&c.fx);
}

/*
 * Break-before-make done right over the whole range: every page made
 * invalid and invalidated (one TLBI per page, RLQLSD), then all 16
 * written contiguous. Nothing is held, so nothing to compare: no
 * violation at level 0.
 */
TEST(model_contig_whole_range_with_break_is_safe)
{
	struct fx *f;
	struct cx c;

	cx_setup(&c, 0, true);
	f = &c.fx;
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, VA_X), 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vae1is", VA_X);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t va = (uint64_t)i * VMSA_PAGE_SIZE;

		vmsa_desc_write_pa(f->m, 0, fx_pte(f, va),
				   cx_desc(&c, va, true));
	}
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f->m) == NULL);
	CHECK_EQ(fx_read(f, 1, VA_X), 0xc1);
	CHECK(vmsa_violation(f->m) == NULL);
	fx_done(&c.fx);
}

/*
 * Stage 2 (fixture_s2.h: data pages 0..3 at IPA FX2_IPA_DATA.., at
 * consecutive PAs, so that the range maps linearly). The hypervisor on
 * CPU0 maps IPA page 4 of the same contiguous range with the Contiguous
 * bit while the guest on CPU1 uses IPA page 0 (no bit).
 */
#define S2_NEW_IPA (FX2_IPA_DATA + 4 * VMSA_PAGE_SIZE)

static void s2_setup(struct fx2 *f, unsigned bbm)
{
	memset(f, 0, sizeof(*f));
	f->m = fx_machine(2, bbm, true);
	fx2_vm_build(f, 0, 1);
	CHECK_EQ(f->vm[0].page[3], f->vm[0].page[0] + 3 * VMSA_PAGE_SIZE);
	fx2_enter_guest(f, 1, 0);
	CHECK_EQ(fx2_read(f, 1, FX2_VA), 0xa0);
}

static uint64_t s2_write_contig(struct fx2 *f)
{
	vmsa_desc_write_pa(f->m, 0, fx2_s2_pte(&f->vm[0], S2_NEW_IPA),
			   fx2_s2_page_desc(f->vm[0].page[0] +
					    4 * VMSA_PAGE_SIZE) |
				   VMSA_D_CONT);
	return vmsa_steps(f->m);
}

/* Level 0: a bbm violation at the hypervisor's write (RNGLXZ), naming
 * the guest CPU's stage-2 page for IPA page 0. */
TEST(model_contig_stage2_level0_is_bbm)
{
	const vmsa_violation_t *v;
	struct fx2 f;
	uint64_t step;

	s2_setup(&f, 0);
	step = s2_write_contig(&f);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_BBM);
		CHECK_STR(v->rule, "RNGLXZ");
		CHECK_EQ(v->cpu, 0);
		CHECK_EQ(v->step, step);
		CHECK_EQ(v->n_entries, 1);
		CHECK_EQ(v->entries[0].cpu, 1);
		CHECK_EQ(v->entries[0].desc,
			 fx2_s2_page_desc(f.vm[0].page[0]));
		CHECK_EQ(v->entries[0].loc,
			 fx2_s2_pte(&f.vm[0], FX2_IPA_DATA));
	}
	fx2_done(&f);
}

/* The hypervisor's handler: record, then TLBI VMALLS12E1; DSB NSH; ISB
 * (RBLRKC, IJCCRT: removes a conflict of EL1&0 with stage 2). */
struct s2_seen {
	unsigned n;
	uint64_t esr, far;
	unsigned to_el;
};

static void s2_conflict_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
				const struct vmsa_exception *e, void *arg)
{
	struct s2_seen *s = arg;
	vmsa_tlbi_op_t op;

	s->n++;
	s->esr = e->esr;
	s->far = e->far;
	s->to_el = e->to_el;
	if (vmsa_tlbi_parse("vmalls12e1", &op) == 0)
		vmsa_tlbi(m, cpu, op, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_NSH);
	vmsa_isb(m, cpu);
}

/*
 * Level 1: legal at the write (RKHRBC); the guest's next read may hit
 * both stage-2 entries: a stage-2 TLB conflict, taken to EL2 (RQWTKL)
 * with ESR_EL2 = EC 0x24 | IL | FSC 0x30 = 0x92000030 and FAR_EL2 = the
 * VA (IJYDXJ). The memory is still misprogrammed after the handler's
 * VMALLS12E1, so the retried read may conflict again: not taken.
 */
TEST(model_contig_stage2_level1_conflict_to_el2)
{
	static const unsigned picks[] = {1, 0};
	struct s2_seen seen = {0};
	struct fx2 f;
	struct ch ch;

	s2_setup(&f, 1);
	s2_write_contig(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_set_handler(f.m, 1, 2, s2_conflict_handler, &seen);
	ch_init(&ch, picks, 2);
	ch_only(&ch, CONFLICT);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch_count(&ch, CONFLICT), 2);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen.to_el, 2);
	CHECK_EQ(seen.esr, 0x92000030);
	CHECK_EQ(seen.far, FX2_VA);
	fx2_done(&f);
}

/* Level 2, never aborts: legal, no conflict offered. */
TEST(model_contig_stage2_level2_noabort)
{
	struct fx2 f;
	struct ch ch;

	memset(&f, 0, sizeof(f));
	f.m = fx_machine(2, 2, false);
	fx2_vm_build(&f, 0, 1);
	fx2_enter_guest(&f, 1, 0);
	s2_write_contig(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK(vmsa_violation(f.m) == NULL);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(ch_count(&ch, CONFLICT), 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx2_done(&f);
}
