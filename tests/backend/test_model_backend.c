/*
 * The model backend (src/backend/model.c) on a bare machine: every
 * operation is the exact model step (or steps) expected, seen through
 * the model's trace; set-up makes no steps; page reference counts are
 * exact and kept in model memory; the library's mistakes (a free of a
 * referenced page, a reference to a freed page) are violations.
 */
#include <errno.h>

#include "backend/model_fixture.h"
#include "harness.h"

#define MEM 0x40000000ull

/* m stopped at a violation of `kind` with exactly `message`. */
static void expect_violation(vmsa_machine_t *m, vmsa_violation_kind_t kind,
			     const char *message)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, kind);
	CHECK_STR(v->message, message);
}

TEST(model_backend_init_features)
{
	struct fx x;

	CHECK(fx_init(&x, "bbm2-noabort+s2fwb+norange", NULL));
	CHECK_EQ(x.o->features.bbm_level, 2);
	CHECK_EQ(x.o->features.bbm2_noabort, true);
	CHECK_EQ(x.o->features.tlbirange, false);
	CHECK_EQ(x.o->features.s2fwb, true);
	CHECK_EQ(x.o->features.dic, false);
	CHECK_EQ(x.o->features.idc, false);
	CHECK_EQ(x.o->features.hw_af, false);
	CHECK_EQ(x.o->features.hw_dbm, false);
	CHECK(x.o->ctx == &x.bk);
	/* 16 MiB: 4096 counts of 4 bytes (4 pages) after the per-CPU state
	 * (2 pages), at the bottom of memory; nothing was a step. */
	CHECK_EQ(x.bk.state_pa, MEM);
	CHECK_EQ(x.bk.state_pages, 6);
	CHECK_EQ(x.bk.n_refs, 4096);
	CHECK_EQ(vmsa_pages_free(x.m), 4096 - 6);
	CHECK_EQ(vmsa_steps(x.m), 0);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm2", NULL));
	CHECK_EQ(x.o->features.bbm2_noabort, false);
	CHECK_EQ(x.o->features.tlbirange, true);
	fx_free(&x);
}

TEST(model_backend_init_bad)
{
	vmsa_pgt_model_cfg_t cfg = {.granule = VMSA_GRANULE_4K};
	vmsa_pgt_model_cfg_t bad = {.granule = (vmsa_granule_t)3};
	vmsa_pgt_model_cfg_t wrap = {.granule = VMSA_GRANULE_4K,
				     .va_offset = ~0ull - 0x1000};
	vmsa_features_t f = vmsa_features_default();
	vmsa_pgt_model_t bk;
	const char *why;
	vmsa_machine_t *m = vmsa_machine_new(&f, &why);

	CHECK(m != NULL);
	CHECK_EQ(vmsa_pgt_model_init(NULL, m, NULL, &cfg), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_init(&bk, NULL, NULL, &cfg), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_init(&bk, m, NULL, NULL), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_init(&bk, m, NULL, &bad), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_init(&bk, m, NULL, &wrap), -EINVAL);
	CHECK_EQ(vmsa_pages_free(m), 4096);
	CHECK_EQ(vmsa_pgt_model_init(&bk, m, NULL, &cfg), 0);
	CHECK_EQ(vmsa_pgt_model_set_cpu(&bk, 2), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_set_cpu(&bk, -3), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_set_cpu(NULL, 0), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_set_cpu(&bk, 1), 0);
	CHECK_EQ(vmsa_pgt_model_refcount(NULL, MEM), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_refcount(&bk, MEM + 8), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_refcount(&bk, MEM - 0x1000), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_refcount(&bk, MEM + 0x1000000), -EINVAL);
	CHECK_EQ(vmsa_pgt_model_refcount(&bk, MEM + 0x10000), 0);
	vmsa_machine_free(m);
}

/* Set-up (VMSA_SETUP): descriptor accesses and allocations are the
 * model's non-step accesses; maintenance does nothing. */
TEST(model_backend_setup_no_steps)
{
	struct fx x;
	uint64_t *t, *e;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, VMSA_SETUP);
	t = x.o->zalloc_page(x.o->ctx);
	CHECK(t != NULL);
	e = t + 3;
	x.o->write(x.o->ctx, e, 0x40001403, true);
	CHECK_EQ(x.o->read(x.o->ctx, e), 0x40001403);
	CHECK_EQ(x.o->cas(x.o->ctx, e, 0x40001403, 0), 0x40001403);
	CHECK_EQ(*e, 0);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	x.o->isb(x.o->ctx);
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAC, t);
	CHECK_EQ(vmsa_steps(x.m), 0);
	CHECK_STR(x.tr.buf, "");
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);
}

/* A break, TLBI and make as the library issues them: one step each,
 * exactly these. */
TEST(model_backend_steps_exact)
{
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, VMSA_SETUP);
	t = x.o->zalloc_page(x.o->ctx);
	x.o->write(x.o->ctx, t, 0x40001403, false);
	fx_run_as(&x, 0);
	CHECK_EQ(x.o->read(x.o->ctx, t), 0x40001403);
	CHECK_EQ(x.o->cas(x.o->ctx, t, 0x40001403, VMSA_PGT_LOCKED),
		 0x40001403);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISHST);
	x.o->tlbi(x.o->ctx, &ipas2);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_ISH);
	x.o->tlbi(x.o->ctx, &vmalle1);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_NSH);
	x.o->write(x.o->ctx, t, 0x40002403, true);
	x.o->dsb(x.o->ctx, VMSA_PGT_DSB_NSHST);
	x.o->isb(x.o->ctx);
	CHECK_STR(x.tr.buf,
		  "read-desc [0x40006000] = 0x0000000040001403\n"
		  "cas-desc [0x40006000] 0x0000000040001403 -> "
		  "0x0000000000000400: swapped\n"
		  "dsb ishst\n"
		  "tlbi ipas2e1is, 0x80\n"
		  "dsb ish\n"
		  "tlbi vmalle1is, 0x0\n"
		  "dsb nsh\n"
		  "write-desc [0x40006000] := 0x0000000040002403\n"
		  "dsb nshst\n"
		  "isb \n");
	CHECK_EQ(vmsa_steps(x.m), 10);
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);
}

/* A TLBI for a VMID other than VTTBR_EL2's switches VTTBR_EL2 around it
 * (the table base kept), as KVM's __tlb_switch_to_guest; EL2 operations
 * and the current VMID need no switch. */
TEST(model_backend_tlbi_other_vmid)
{
	struct fx x;
	vmsa_pgt_tlbi_t t7 = ipas2, el2 = {
		.op = {VMSA_TLBI_VAE2, VMSA_TLBI_IS, false}, .xt = 0x5, .vmid = 9,
	};

	t7.vmid = 7;
	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	vmsa_msr(x.m, 0, VMSA_REG_VTTBR_EL2, VMSA_VTTBR(0x40010000, 3));
	x.tr.n = 0;
	x.o->tlbi(x.o->ctx, &t7);
	x.o->tlbi(x.o->ctx, &el2);
	t7.vmid = 3;
	x.o->tlbi(x.o->ctx, &t7);
	CHECK_STR(x.tr.buf,
		  "msr VTTBR_EL2, 0x7000040010000\n"
		  "isb \n"
		  "tlbi ipas2e1is, 0x80\n"
		  "msr VTTBR_EL2, 0x3000040010000\n"
		  "isb \n"
		  "tlbi vae2is, 0x5\n"
		  "tlbi ipas2e1is, 0x80\n");
	CHECK_EQ(vmsa_mrs(x.m, 0, VMSA_REG_VTTBR_EL2),
		 VMSA_VTTBR(0x40010000, 3));
	/* A VHE host (E2H = TGE = 1): TGE cleared around the operation, so
	 * that it acts on EL1&0, even for the current VMID. */
	vmsa_msr(x.m, 0, VMSA_REG_HCR_EL2, VMSA_HCR_E2H | VMSA_HCR_TGE);
	x.tr.n = 0;
	x.o->tlbi(x.o->ctx, &t7);
	CHECK_STR(x.tr.buf,
		  "msr HCR_EL2, 0x400000000\n"
		  "isb \n"
		  "tlbi ipas2e1is, 0x80\n"
		  "msr HCR_EL2, 0x408000000\n"
		  "isb \n");
	vmsa_msr(x.m, 0, VMSA_REG_HCR_EL2, 0);
	/* An 8-bit VMID (VTCR_EL2.VS = 0) cannot name VMID 256. */
	t7.vmid = 256;
	x.o->tlbi(x.o->ctx, &t7);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m))
		CHECK_STR(vmsa_violation(x.m)->message,
			  "pgtable model backend: tlbi for VMID 256, which "
			  "VTTBR_EL2 cannot hold (VTCR_EL2.VS = 0)");
	fx_free(&x);
}

/* At EL1 (a kernel's own stage 1) the VMID is the hypervisor's choice:
 * nothing to switch (MSR VTTBR_EL2 would be UNDEFINED there). */
TEST(model_backend_tlbi_at_el1)
{
	struct fx x;
	vmsa_pgt_tlbi_t t = vmalle1;

	t.vmid = 9;
	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	vmsa_msr(x.m, 0, VMSA_REG_HCR_EL2, VMSA_HCR_RW);
	vmsa_eret(x.m, 0, 1);
	x.tr.n = 0;
	x.o->tlbi(x.o->ctx, &t);
	CHECK_STR(x.tr.buf, "tlbi vmalle1is, 0x0\n");
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);
}

/* Reference counts: 1 at allocation, get/put exact, 0 once freed; a free
 * of a referenced page and a reference to a freed page are violations. */
TEST(model_backend_refcounts)
{
	struct fx x;
	uint64_t *t;
	vmsa_pa_t pa;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	CHECK(t != NULL);
	pa = x.o->virt_to_phys(x.o->ctx, t).pa;
	CHECK_EQ(pa, 0x40006000);
	CHECK(x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(pa)) == t);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, pa), 1);
	CHECK_EQ(x.o->page_count(x.o->ctx, t), 1);
	x.o->get_page(x.o->ctx, t);
	x.o->get_page(x.o->ctx, t);
	CHECK_EQ(x.o->page_count(x.o->ctx, t), 3);
	x.o->put_page(x.o->ctx, t);
	x.o->put_page(x.o->ctx, t);
	x.o->put_page(x.o->ctx, t);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, pa), 0);
	CHECK_STR(x.tr.buf, "alloc 1 page(s) at 0x40006000\n");
	x.o->free_page(x.o->ctx, t);
	CHECK(vmsa_page_is_free(x.m, pa));
	CHECK(vmsa_violation(x.m) == NULL);
	/* The page's count after it is freed: a use after free. */
	x.o->get_page(x.o->ctx, t);
	expect_violation(x.m, VMSA_V_UAF,
			 "pgtable model backend: get_page of the table page "
			 "at PA 0x40006000, which is free");
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 1);
	t = x.o->zalloc_page(x.o->ctx);
	x.o->free_page(x.o->ctx, t);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m)) {
		CHECK_EQ(vmsa_violation(x.m)->kind, VMSA_V_ASSERT);
		CHECK_EQ(vmsa_violation(x.m)->cpu, 1);
		CHECK_STR(vmsa_violation(x.m)->message,
			  "pgtable model backend: free_page of the table page "
			  "at PA 0x40006000 whose reference count is 1");
	}
	CHECK(!vmsa_page_is_free(x.m, 0x40006000));
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	x.o->put_page(x.o->ctx, t);
	x.o->put_page(x.o->ctx, t);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m))
		CHECK_STR(vmsa_violation(x.m)->message,
			  "pgtable model backend: put_page of the table page "
			  "at PA 0x40006000 whose reference count is 0");
	fx_free(&x);
}

/* page_ref_add: delta gets or puts at once, the same counts and the
 * same report as the calls one by one (the library's split takes a new
 * table's 512 references in one call, its free drops the whole count). */
TEST(model_backend_page_ref_add)
{
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", NULL));
	CHECK(x.o->page_ref_add != NULL);
	if (!x.o->page_ref_add) {
		fx_free(&x);
		return;
	}
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	CHECK(t != NULL);
	x.o->page_ref_add(x.o->ctx, t, 512);
	CHECK_EQ(x.o->page_count(x.o->ctx, t), 513);
	x.o->page_ref_add(x.o->ctx, t, 0);
	CHECK_EQ(x.o->page_count(x.o->ctx, t), 513);
	x.o->page_ref_add(x.o->ctx, t, -500);
	CHECK_EQ(x.o->page_count(x.o->ctx, t), 13);
	x.o->page_ref_add(x.o->ctx, t, -13);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x40006000), 0);
	CHECK(vmsa_violation(x.m) == NULL);
	/* Below 0: the count stops at 0 and the put that found it there
	 * reports, as put_page does. */
	x.o->page_ref_add(x.o->ctx, t, 2);
	x.o->page_ref_add(x.o->ctx, t, -3);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x40006000), 0);
	expect_violation(x.m, VMSA_V_ASSERT,
			 "pgtable model backend: put_page of the table page "
			 "at PA 0x40006000 whose reference count is 0");
	fx_free(&x);

	/* A freed page: the get's use-after-free report. */
	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	x.o->put_page(x.o->ctx, t);
	x.o->free_page(x.o->ctx, t);
	x.o->page_ref_add(x.o->ctx, t, 512);
	expect_violation(x.m, VMSA_V_UAF,
			 "pgtable model backend: get_page of the table page "
			 "at PA 0x40006000, which is free");
	fx_free(&x);
}

/* A 16K granule: table pages are 4 model pages aligned to 16K, each
 * with one count. */
TEST(model_backend_granule_16k)
{
	vmsa_pgt_model_cfg_t cfg = {.granule = VMSA_GRANULE_16K};
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", &cfg));
	CHECK_EQ(x.bk.n_refs, 1024);
	CHECK_EQ(x.bk.state_pages, 3); /* 2 + 4 KiB of counts */
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	CHECK_EQ(x.o->virt_to_phys(x.o->ctx, t).pa, 0x40004000);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x40004000), 1);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x40005000), -EINVAL);
	CHECK_STR(x.tr.buf, "alloc 4 page(s) at 0x40004000\n");
	x.o->put_page(x.o->ctx, t);
	x.o->free_page(x.o->ctx, t);
	CHECK(vmsa_page_is_free(x.m, 0x40004000));
	CHECK(vmsa_page_is_free(x.m, 0x40006000));
	fx_free(&x);
}

/* Out of model memory: zalloc_page() is NULL (a step in the trace). */
TEST(model_backend_out_of_memory)
{
	struct fx x;
	unsigned n = 0;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, VMSA_SETUP);
	while (x.o->zalloc_page(x.o->ctx))
		n++;
	CHECK_EQ(n, 4096 - 6);
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);
}

/* Cache maintenance of a granule: the first line always, then the lines
 * out of sync with the PoC; every line with cmo_every_line. By VA = PA +
 * va_offset. */
TEST(model_backend_cmo_lines)
{
	vmsa_pgt_model_cfg_t every = {.granule = VMSA_GRANULE_4K,
				      .cmo_every_line = true};
	struct fx x;
	void *page;

	CHECK(fx_init(&x, "bbm0", NULL));
	CHECK_EQ(vmsa_page_alloc(x.m, VMSA_SETUP, 16, 16), 0x40010000);
	fx_run_as(&x, 0);
	page = x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(0x40010000));
	vmsa_phys_write(x.m, 0, 0x40010080, 8, 1, true);
	vmsa_phys_write(x.m, 0, 0x40010fc0, 8, 1, true);
	x.tr.n = 0;
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAC, (char *)page + 0x100);
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CIVAC, page);
	x.o->cmo(x.o->ctx, VMSA_PGT_IC_IVAU, page);
	x.o->cmo(x.o->ctx, VMSA_PGT_IC_IALLUIS, NULL);
	/* Each DC and IC IVAU translates its VA (EL2, MMU off: flat,
	 * Device-nGnRnE), one step with its translation in the trace. */
#define FLAT(op, va) op " va " va " -> pa " va " flat Device-nGnRnE r w x " \
	"el0 r w x\n"
	CHECK_STR(x.tr.buf,
		  FLAT("dc", "0x40010000")
		  "dc cvac, 0x40010000 (PA 0x40010000)\n"
		  FLAT("dc", "0x40010080")
		  "dc cvac, 0x40010080 (PA 0x40010080)\n"
		  FLAT("dc", "0x40010fc0")
		  "dc cvac, 0x40010fc0 (PA 0x40010fc0)\n"
		  FLAT("dc", "0x40010000")
		  "dc civac, 0x40010000 (PA 0x40010000)\n"
		  FLAT("ic", "0x40010000")
		  "ic ivau, 0x40010000\n"
		  "ic ialluis\n");
	CHECK(vmsa_violation(x.m) == NULL);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", &every));
	CHECK_EQ(vmsa_page_alloc(x.m, VMSA_SETUP, 16, 16), 0x40010000);
	fx_run_as(&x, 0);
	page = x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(0x40010000));
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAU, page);
	CHECK_EQ(vmsa_steps(x.m), 64);
	x.o->cmo(x.o->ctx, VMSA_PGT_IC_IVAU, page);
	CHECK_EQ(vmsa_steps(x.m), 128);
	fx_free(&x);
}

/* A linear map: the VA of the data is PA + va_offset in the CPU's
 * regime (here EL2 with its MMU off, so the VA faults as a PA outside
 * memory: an External abort with no handler). */
TEST(model_backend_cmo_va_offset)
{
	vmsa_pgt_model_cfg_t cfg = {.granule = VMSA_GRANULE_4K,
				    .va_offset = 0x1000000000ull};
	struct fx x;

	CHECK(fx_init(&x, "bbm0", &cfg));
	fx_run_as(&x, 0);
	x.o->cmo(x.o->ctx, VMSA_PGT_DC_CVAC,
		 x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(0x40010000)));
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m)) {
		CHECK_EQ(vmsa_violation(x.m)->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK(strstr(vmsa_violation(x.m)->message, "0x1040010000"));
	}
	fx_free(&x);
}

/* The library's mistakes with pointers and kinds are violations, never
 * crashes. */
TEST(model_backend_bad_pointers)
{
	static uint64_t host_word;
	struct fx x;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	CHECK_EQ(x.o->virt_to_phys(x.o->ctx, &host_word).pa, VMSA_BAD_PA);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m))
		CHECK_EQ(vmsa_violation(x.m)->kind, VMSA_V_ASSERT);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	CHECK(x.o->phys_to_virt(x.o->ctx, VMSA_PGT_PA(0x1000)) == NULL);
	x.o->get_page(x.o->ctx, &host_word);
	CHECK(vmsa_violation(x.m) != NULL);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	x.o->dsb(x.o->ctx, (vmsa_pgt_dsb_t)9);
	CHECK(vmsa_violation(x.m) != NULL);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	x.o->cmo(x.o->ctx, (vmsa_pgt_cmo_t)9, NULL);
	CHECK(vmsa_violation(x.m) != NULL);
	fx_free(&x);

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	x.o->tlbi(x.o->ctx, NULL);
	CHECK(vmsa_violation(x.m) != NULL);
	CHECK_EQ(x.o->page_count(x.o->ctx, &host_word), 0);
	fx_free(&x);
}

/* A concatenated root: n granules in one allocation step, aligned to n
 * (rounded up to a power of two), each with its own count of 1, freed one
 * by one. */
TEST(model_backend_zalloc_pages)
{
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	t = x.o->zalloc_pages(x.o->ctx, 3);
	CHECK(t != NULL);
	CHECK_EQ(x.o->virt_to_phys(x.o->ctx, t).pa, 0x40008000);
	CHECK_STR(x.tr.buf, "alloc 3 page(s) at 0x40008000\n");
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x40008000 + i * 0x1000),
			 1);
	CHECK_EQ(vmsa_pgt_model_refcount(&x.bk, 0x4000b000), 0);
	x.o->put_page(x.o->ctx, t + 512);
	x.o->free_page(x.o->ctx, t + 512);
	CHECK(vmsa_page_is_free(x.m, 0x40009000));
	CHECK(!vmsa_page_is_free(x.m, 0x40008000));
	CHECK(vmsa_violation(x.m) == NULL);
	CHECK(x.o->zalloc_pages(x.o->ctx, 17) == NULL);
	CHECK(vmsa_violation(x.m) != NULL);
	if (vmsa_violation(x.m))
		CHECK_STR(vmsa_violation(x.m)->message,
			  "pgtable model backend: zalloc_pages of 17 pages "
			  "(1 to 16)");
	fx_free(&x);
}

/* Table pages are model pages: a descriptor access to a freed one is the
 * model's own use-after-free. */
TEST(model_backend_freed_table_access)
{
	struct fx x;
	uint64_t *t;

	CHECK(fx_init(&x, "bbm0", NULL));
	fx_run_as(&x, 0);
	t = x.o->zalloc_page(x.o->ctx);
	x.o->put_page(x.o->ctx, t);
	x.o->free_page(x.o->ctx, t);
	CHECK(vmsa_violation(x.m) == NULL);
	x.o->write(x.o->ctx, t + 2, 0x40001403, false);
	expect_violation(x.m, VMSA_V_UAF,
			 "CPU0: descriptor write at PA 0x40006010 in a freed "
			 "page");
	fx_free(&x);
}
