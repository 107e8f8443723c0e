/*
 * tests/pgtable/test_pgt_host.c - the host backend itself: the pool
 * (lowest pages first, aligned multi-page roots, exhaustion), reference
 * counts and the misuse counter, injected allocation failures, the
 * recorded events and their text form.
 */
#include "pgt_test.h"

TEST(pgt_host_pool_and_counts)
{
	vmsa_host_cfg_t hc = {.granule = VMSA_GRANULE_16K, .pool_pages = 20,
			      .pool_pa = 0x40000000, .trace_cap = 16};
	vmsa_host_t *h = vmsa_host_new(&hc);
	vmsa_pgt_ops_t *o = vmsa_host_ops(h);
	void *a, *b, *r;

	CHECK(h != NULL);
	a = o->zalloc_page(o->ctx);
	b = o->zalloc_page(o->ctx);
	CHECK_EQ(o->virt_to_phys(o->ctx, a).pa, 0x40000000);
	CHECK_EQ(o->virt_to_phys(o->ctx, b).pa, 0x40004000);
	CHECK(o->phys_to_virt(o->ctx, VMSA_PGT_PA(0x40004000)) == b);
	CHECK_EQ(vmsa_host_page_count(h, VMSA_PGT_PA(0x40000000)), 1);
	/* Four pages aligned to 4 granules: the first free run is at 4. */
	r = o->zalloc_pages(o->ctx, 4);
	CHECK_EQ(o->virt_to_phys(o->ctx, r).pa, 0x40010000);
	CHECK_EQ(vmsa_host_pages_in_use(h), 6);
	/* The next single page skips the run's pages. */
	CHECK_EQ(o->virt_to_phys(o->ctx, o->zalloc_page(o->ctx)).pa,
		 0x40008000);
	o->get_page(o->ctx, a);
	o->page_ref_add(o->ctx, a, 3);
	CHECK_EQ(o->page_count(o->ctx, a), 5);
	o->page_ref_add(o->ctx, a, -5);
	o->free_page(o->ctx, a);
	CHECK_EQ(vmsa_host_page_count(h, VMSA_PGT_PA(0x40000000)), -1);
	CHECK_EQ(vmsa_host_stats(h)->errors, 0);
	/* Misuse is counted, never crashes: a put at 0, a free with a
	 * count, a page not of the pool, a double free. */
	o->put_page(o->ctx, a);
	o->free_page(o->ctx, b);
	o->get_page(o->ctx, (char *)b + 8);
	o->free_page(o->ctx, a);
	CHECK_EQ(vmsa_host_stats(h)->errors, 4);
	/* A freed page comes back first. */
	CHECK(o->zalloc_page(o->ctx) == a);
	vmsa_host_free(h);

	/* Invalid configurations. */
	hc.pool_pages = 0;
	CHECK(vmsa_host_new(&hc) == NULL);
	hc.pool_pages = 4;
	hc.pool_pa = 0x1000;
	CHECK(vmsa_host_new(&hc) == NULL);
	CHECK(vmsa_host_new(NULL) == NULL);
	vmsa_host_free(NULL);
}

TEST(pgt_host_fail_and_exhaust)
{
	vmsa_host_cfg_t hc = {.granule = VMSA_GRANULE_4K, .pool_pages = 3};
	vmsa_host_t *h = vmsa_host_new(&hc);
	vmsa_pgt_ops_t *o = vmsa_host_ops(h);

	vmsa_host_fail_alloc(h, 2);
	CHECK(o->zalloc_page(o->ctx) != NULL);
	CHECK(o->zalloc_page(o->ctx) == NULL);
	CHECK(o->zalloc_page(o->ctx) != NULL);
	CHECK(o->zalloc_page(o->ctx) != NULL);
	/* The pool is empty. */
	CHECK(o->zalloc_page(o->ctx) == NULL);
	CHECK(o->zalloc_pages(o->ctx, 2) == NULL);
	CHECK_EQ(vmsa_host_stats(h)->alloc_failures, 1);
	CHECK_EQ(vmsa_host_stats(h)->allocs, 6);
	CHECK_EQ(vmsa_host_pages_in_use(h), 3);
	vmsa_host_free(h);
}

TEST(pgt_host_trace_text)
{
	vmsa_host_cfg_t hc = {.granule = VMSA_GRANULE_4K, .pool_pages = 2,
			      .pool_pa = 0x10000, .trace_cap = 5};
	vmsa_host_t *h = vmsa_host_new(&hc);
	vmsa_pgt_ops_t *o = vmsa_host_ops(h);
	vmsa_pgt_tlbi_t t = {.op = {.type = VMSA_TLBI_VAE1,
				    .sh = VMSA_TLBI_IS},
			     .xt = vmsa_tlbi_va(0x5000, 3, VMSA_GRANULE_4K, -1),
			     .vmid = 1};
	uint64_t *p = o->zalloc_page(o->ctx);
	char buf[256];
	size_t dropped;

	vmsa_host_reset(h);
	o->write(o->ctx, p, 1, false);
	o->cas(o->ctx, p, 0, 2);
	o->tlbi(o->ctx, &t);
	o->cmo_range(o->ctx, VMSA_PGT_DC_CIVAC, p, 0x2000);
	o->isb(o->ctx);
	o->dsb(o->ctx, VMSA_PGT_DSB_NSH);
	CHECK_EQ(vmsa_host_format(h, buf, sizeof(buf), true),
		 (int)strlen("w cas.fail tlbi.vae1is(0x5000,asid=3) "
			     "dc.civac(0x10000+0x2000) isb"));
	CHECK_STR(buf, "w cas.fail tlbi.vae1is(0x5000,asid=3) "
		       "dc.civac(0x10000+0x2000) isb");
	vmsa_host_format(h, buf, sizeof(buf), false);
	CHECK_STR(buf, "tlbi.vae1is(0x5000,asid=3) dc.civac(0x10000+0x2000) "
		       "isb");
	CHECK_EQ(vmsa_host_events(h, NULL, &dropped), 5);
	CHECK_EQ(dropped, 1);
	/* Truncated output stays terminated. */
	CHECK_EQ(vmsa_host_format(h, buf, 6, true),
		 (int)strlen("w cas.fail tlbi.vae1is(0x5000,asid=3) "
			     "dc.civac(0x10000+0x2000) isb"));
	CHECK_STR(buf, "w cas");
	CHECK_EQ(vmsa_host_stats(h)->cas_failed, 1);
	CHECK_EQ(vmsa_host_stats(h)->cmo[VMSA_PGT_DC_CIVAC], 2);
	CHECK_EQ(vmsa_host_stats(h)->dsb[VMSA_PGT_DSB_NSH], 1);
	vmsa_host_free(h);
}
