/*
 * The model backend's mutation wrapper (src/backend/model_mutate.c): each
 * mutation breaks exactly the operations it names, counted per CPU, and
 * leaves every other step as the plain backend makes it.
 */
#include <errno.h>

#include "backend/model_fixture.h"
#include "harness.h"

/* A table page with a valid entry at its start, made in set-up. */
static uint64_t *fx_table(struct fx *x, uint64_t entry)
{
	uint64_t *t;

	fx_run_as(x, VMSA_SETUP);
	t = x->o->zalloc_page(x->o->ctx);
	x->o->write(x->o->ctx, t, entry, false);
	return t;
}

/* The common start of a mutation test at bbm0: a table page with a valid
 * entry (set-up), mutation mu applied, CPU0 running. */
static uint64_t *fx_mutated_table(struct fx *x, const vmsa_pgt_mutation_t *mu)
{
	uint64_t *t;

	CHECK(fx_init(x, "bbm0", NULL));
	t = fx_table(x, 0x40001403);
	CHECK_EQ(vmsa_pgt_model_mutate(&x->bk, mu), 0);
	fx_run_as(x, 0);
	return t;
}

/* The library's stage-2 break-before-make of entry t (exclusive walk):
 * break, TLBI IPAS2 and VMALLE1 completed, make. */
static void remap(struct fx *x, uint64_t *t, uint64_t new_)
{
	const vmsa_pgt_ops_t *o = x->o;

	o->write(o->ctx, t, 0, false);
	o->dsb(o->ctx, VMSA_PGT_DSB_ISHST);
	o->tlbi(o->ctx, &ipas2);
	o->dsb(o->ctx, VMSA_PGT_DSB_ISH);
	o->tlbi(o->ctx, &vmalle1);
	o->dsb(o->ctx, VMSA_PGT_DSB_ISH);
	o->write(o->ctx, t, new_, true);
}

#define W0 "write-desc [0x40006000] := 0x0000000000000000\n"
#define W1 "write-desc [0x40006000] := 0x0000000040002403\n"
#define ISHST "dsb ishst\n"
#define ISH "dsb ish\n"
#define IPAS2 "tlbi ipas2e1is, 0x80\n"
#define VMALL "tlbi vmalle1is, 0x0\n"

TEST(mutate_none_is_plain)
{
	vmsa_pgt_mutation_t none = {.kind = VMSA_PGT_MUT_NONE};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &none);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf, W0 ISHST IPAS2 ISH VMALL ISH W1);
	fx_free(&x);
}

TEST(mutate_bad)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_N_KINDS};
	struct fx x;

	CHECK(fx_init(&x, "bbm0", NULL));
	CHECK_EQ(vmsa_pgt_model_mutate(NULL, &mu), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL);
	mu.kind = VMSA_PGT_MUT_DROP_DSB;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL); /* no kinds */
	mu.dsb_kinds = 1u << 4;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL);
	mu.dsb_kinds = 1u << VMSA_PGT_DSB_ISH;
	mu.cpu = 2;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL);
	mu.cpu = VMSA_SETUP;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL);
	mu.kind = VMSA_PGT_MUT_SKIP_CMO;
	mu.cpu = 0;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL); /* no kinds */
	mu.cmo_kinds = 1u << 5;
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), -EINVAL);
	CHECK_EQ(x.bk.mut.kind, VMSA_PGT_MUT_NONE);
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, NULL), 0);
	fx_free(&x);
}

/* The second DSB ISH of CPU 0 is dropped; CPU 1's are counted apart. */
TEST(mutate_drop_nth_dsb)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_DROP_DSB,
				  .dsb_kinds = 1u << VMSA_PGT_DSB_ISH,
				  .nth = 2, .cpu = VMSA_PGT_MUT_ALL_CPUS};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf, W0 ISHST IPAS2 ISH VMALL W1);
	fx_run_as(&x, 1);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	CHECK_STR(x.tr.buf, ISH ISH);
	fx_free(&x);
}

/* Every DSB ISHST, of CPU 1 only. */
TEST(mutate_drop_every_dsb_of_one_cpu)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_DROP_DSB,
				  .dsb_kinds = 1u << VMSA_PGT_DSB_ISHST,
				  .cpu = 1};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf, W0 ISHST IPAS2 ISH VMALL ISH W1);
	fx_run_as(&x, 1);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISHST);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_NSH);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISHST);
	CHECK_STR(x.tr.buf, "dsb nsh\n");
	fx_free(&x);
}

/* The first IS TLBI becomes local; the others stay broadcast. */
TEST(mutate_tlbi_local)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_TLBI_LOCAL, .nth = 1,
				  .cpu = 0};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf,
		  W0 ISHST "tlbi ipas2e1, 0x80\n" ISH VMALL ISH W1);
	fx_free(&x);
}

/* DC CVAC skipped, other maintenance kept. */
TEST(mutate_skip_cvac)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_CMO,
				  .cmo_kinds = 1u << VMSA_PGT_DC_CVAC,
				  .cpu = VMSA_PGT_MUT_ALL_CPUS};
	struct fx x;
	void *page;

	CHECK(fx_init(&x, "bbm0", NULL));
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), 0);
	fx_run_as(&x, 0);
	page = x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(0x40006000));
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAC, page);
	x.o->cmo(x.o->ctx, VMSA_PGT_IC_IALLUIS, NULL);
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAC, page);
	CHECK_STR(x.tr.buf, "ic ialluis\n");
	fx_free(&x);
}

/* IPAS2E1IS; DSB; VMALLE1IS; DSB is issued as VMALLE1IS; DSB;
 * IPAS2E1IS; DSB. */
TEST(mutate_swap_ipas2_vmalle1)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1,
				  .cpu = 0};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf, W0 ISHST VMALL ISH IPAS2 ISH W1);
	/* Twice: every time (nth 0). Two IPAS2s of a batch stay in order. */
	x.tr.n = 0;
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	x.o->tlbi(x.o->ctx, &vmalle1);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	CHECK_STR(x.tr.buf, VMALL ISH IPAS2 IPAS2 ISH);
	fx_free(&x);
}

/* An IPAS2 that no VMALLE1 follows goes out in the library's order
 * before the next other operation. */
TEST(mutate_swap_nothing_to_swap)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1,
				  .cpu = 0};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	CHECK_STR(x.tr.buf, "");
	x.o->write(x.o->ctx, t, 0, false);
	CHECK_STR(x.tr.buf, IPAS2 ISH W0);
	fx_free(&x);
}

/* Skip the break: no invalidating store, no TLBI; the make replaces the
 * valid entry directly. */
TEST(mutate_skip_break_exclusive)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_BREAK, .nth = 1,
				  .cpu = 0};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	remap(&x, t, 0x40002403);
	CHECK_STR(x.tr.buf, ISHST ISH ISH W1);
	/* Only the first: the next break is whole. */
	x.tr.n = 0;
	remap(&x, t, 0x40003403);
	CHECK_STR(x.tr.buf, W0 ISHST IPAS2 ISH VMALL ISH
		  "write-desc [0x40006000] := 0x0000000040003403\n");
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);
}

/* Shared walks: the break CAS to the locked value "succeeds" without a
 * store, and the make's CAS from the locked value is made against the
 * valid entry, returning the locked value as the library expects. */
TEST(mutate_skip_break_shared)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_BREAK,
				  .cpu = VMSA_PGT_MUT_ALL_CPUS};
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", NULL));
	t = fx_table(&x, 0x40001403);
	CHECK_EQ(vmsa_pgt_model_mutate(&x.bk, &mu), 0);
	fx_run_as(&x, 1);
	/* A CAS that would fail is not a break: it fails. */
	CHECK_EQ(x.o->cas(x.o->ctx, t, 0x40009403, VMSA_PGT_LOCKED),
		 0x40001403);
	CHECK_EQ(x.o->cas(x.o->ctx, t, 0x40001403, VMSA_PGT_LOCKED),
		 0x40001403);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISHST);
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	CHECK_EQ(x.o->cas(x.o->ctx, t, VMSA_PGT_LOCKED, 0x40002403),
		 VMSA_PGT_LOCKED);
	CHECK_EQ(*t, 0x40002403);
	CHECK_STR(x.tr.buf,
		  "cas-desc [0x40006000] 0x0000000040009403 -> "
		  "0x0000000000000400: failed\n"
		  ISHST ISH
		  "cas-desc [0x40006000] 0x0000000040001403 -> "
		  "0x0000000040002403: swapped\n");
	fx_free(&x);
}

/* An nth that selects an unmap (no make of the entry follows, another
 * entry is written) is the mutation's misuse: reported. */
TEST(mutate_skip_break_misused)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_BREAK, .nth = 1,
				  .cpu = 0};
	struct fx x;
	uint64_t *t;

	t = fx_mutated_table(&x, &mu);
	x.o->write(x.o->ctx, t, 0, false);
	x.o->write(x.o->ctx, t + 1, 0x40002403, false);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m)) {
		CHECK_EQ(vmsa_violation(x.m)->kind, VMSA_V_ASSERT);
		CHECK_STR(vmsa_violation(x.m)->message,
			  "pgtable model backend: mutation skip-break: the "
			  "store dropped at PA 0x40006000 was not a break (the "
			  "next store is to PA 0x40006008)");
	}
	fx_free(&x);
}
