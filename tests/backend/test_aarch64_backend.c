/*
 * The AArch64 backend (src/backend/aarch64.c) at EL0, where it can run:
 * under qemu-aarch64 (make check-aarch64, and tests/cli/test_aarch64.sh
 * with and without FEAT_LSE). Descriptor reads, writes and CAS, the
 * barriers, data cache maintenance by VA and IC IVAU (EL0 may execute
 * them: Linux sets SCTLR_EL1.UCI), and the caller's callbacks reached
 * with the caller's context. TLBIs and IC IALLUIS are UNDEFINED at EL0:
 * tests/cli/test_aarch64.sh checks their encodings in the object instead.
 * On other hosts there is nothing to run.
 */
#if defined(__aarch64__)

#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "vmsa/backend.h"

/* A caller's memory: counts what each callback saw. */
struct mem {
	int allocs, frees, gets, puts, counts;
	void *last;
};

static void *m_zalloc(void *ctx)
{
	struct mem *m = ctx;

	m->allocs++;
	m->last = aligned_alloc(4096, 4096);
	if (m->last)
		memset(m->last, 0, 4096);
	return m->last;
}

static void m_free(void *ctx, void *p)
{
	struct mem *m = ctx;

	m->frees++;
	free(p);
}

static void m_get(void *ctx, void *p)
{
	((struct mem *)ctx)->gets++;
	(void)p;
}

static void m_put(void *ctx, void *p)
{
	((struct mem *)ctx)->puts++;
	(void)p;
}

static int m_count(void *ctx, void *p)
{
	(void)p;
	return ++((struct mem *)ctx)->counts;
}

static void *m_zalloc_pages(void *ctx, unsigned n)
{
	struct mem *m = ctx;

	m->allocs += (int)n;
	m->last = aligned_alloc(4096 * n, 4096 * n);
	if (m->last)
		memset(m->last, 0, 4096 * n);
	return m->last;
}

static vmsa_pgt_pa_t m_v2p(void *ctx, void *va)
{
	(void)ctx;
	return VMSA_PGT_PA((uintptr_t)va + 1);
}

static void *m_p2v(void *ctx, vmsa_pgt_pa_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)(pa.pa - 1);
}

static const vmsa_pgt_aarch64_mm_t mm_proto = {
	.zalloc_page = m_zalloc, .free_page = m_free, .get_page = m_get,
	.put_page = m_put, .page_count = m_count, .virt_to_phys = m_v2p,
	.phys_to_virt = m_p2v,
};

TEST(aarch64_backend_init)
{
	vmsa_pgt_features_t f = {.bbm_level = 2, .tlbirange = true,
				 .hw_af = true};
	vmsa_pgt_aarch64_mm_t mm = mm_proto, bad = mm_proto;
	vmsa_pgt_aarch64_t a;
	struct mem m = {0};

	mm.ctx = &m;
	bad.put_page = NULL;
	CHECK_EQ(vmsa_pgt_aarch64_init(NULL, VMSA_GRANULE_4K, &mm, &f),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, NULL, &f),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, &mm, NULL),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, (vmsa_granule_t)3, &mm, &f),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, &bad, &f),
		 -EINVAL);
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_64K, &mm, &f), 0);
	CHECK(a.ops.ctx == &a);
	/* No zalloc_pages from the caller: none in the ops (the library
	 * then refuses concatenated roots). */
	CHECK(a.ops.zalloc_pages == NULL);
	CHECK_EQ(a.granule_shift, 16);
	CHECK_EQ(a.ops.features.bbm_level, 2);
	CHECK_EQ(a.ops.features.tlbirange, true);
	CHECK_EQ(a.ops.features.hw_af, true);
	CHECK_EQ(a.ops.features.s2fwb, false);
	/* CTR_EL0's line sizes: powers of two of at least 4 bytes. */
	CHECK(a.dline >= 4 && (a.dline & (a.dline - 1)) == 0);
	CHECK(a.iline >= 4 && (a.iline & (a.iline - 1)) == 0);
}

/* The callbacks get the caller's own context. */
TEST(aarch64_backend_memory_callbacks)
{
	vmsa_pgt_features_t f = {0};
	vmsa_pgt_aarch64_mm_t mm = mm_proto;
	vmsa_pgt_aarch64_t a;
	struct mem m = {0};
	const vmsa_pgt_ops_t *o = &a.ops;
	void *p;

	mm.ctx = &m;
	mm.zalloc_pages = m_zalloc_pages;
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, &mm, &f), 0);
	p = o->zalloc_pages(o->ctx, 2);
	CHECK(p != NULL && p == m.last);
	free(p);
	m.allocs = 0;
	p = o->zalloc_page(o->ctx);
	CHECK(p != NULL && p == m.last);
	o->get_page(o->ctx, p);
	o->get_page(o->ctx, p);
	o->put_page(o->ctx, p);
	CHECK_EQ(o->page_count(o->ctx, p), 1);
	CHECK_EQ(o->virt_to_phys(o->ctx, p).pa, (uintptr_t)p + 1);
	CHECK(o->phys_to_virt(o->ctx, VMSA_PGT_PA((uintptr_t)p + 1)) == p);
	o->free_page(o->ctx, p);
	CHECK_EQ(m.allocs, 1);
	CHECK_EQ(m.gets, 2);
	CHECK_EQ(m.puts, 1);
	CHECK_EQ(m.frees, 1);
}

/* LDR, STR/STLR, CAS (LSE CASAL or the LDAXR/STLXR loop). */
TEST(aarch64_backend_descriptors)
{
	vmsa_pgt_features_t f = {0};
	vmsa_pgt_aarch64_mm_t mm = mm_proto;
	vmsa_pgt_aarch64_t a;
	struct mem m = {0};
	const vmsa_pgt_ops_t *o = &a.ops;
	_Alignas(64) uint64_t t[8] = {0, 0x40001403, 0, 0, 0, 0, 0, 7};

	mm.ctx = &m;
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, &mm, &f), 0);
	CHECK_EQ(o->read(o->ctx, &t[1]), 0x40001403);
	CHECK_EQ(o->read(o->ctx, &t[7]), 7);
	o->write(o->ctx, &t[2], 0x40002403, false);
	o->write(o->ctx, &t[3], VMSA_PGT_LOCKED, true);
	CHECK_EQ(t[2], 0x40002403);
	CHECK_EQ(t[3], VMSA_PGT_LOCKED);
	/* A CAS that wins stores; one that loses returns what it found and
	 * stores nothing. */
	CHECK_EQ(o->cas(o->ctx, &t[1], 0x40001403, VMSA_PGT_LOCKED),
		 0x40001403);
	CHECK_EQ(t[1], VMSA_PGT_LOCKED);
	CHECK_EQ(o->cas(o->ctx, &t[1], 0x40001403, 0x40009403),
		 VMSA_PGT_LOCKED);
	CHECK_EQ(t[1], VMSA_PGT_LOCKED);
	CHECK_EQ(o->cas(o->ctx, &t[1], VMSA_PGT_LOCKED, ~0ull), VMSA_PGT_LOCKED);
	CHECK_EQ(t[1], ~0ull);
	/* Neighbours untouched. */
	CHECK_EQ(t[0], 0);
	CHECK_EQ(t[4], 0);
}

/* Barriers and the maintenance EL0 may execute: they run (no SIGILL)
 * and leave memory as it was. */
TEST(aarch64_backend_barriers_and_cmo)
{
	vmsa_pgt_features_t f = {0};
	vmsa_pgt_aarch64_mm_t mm = mm_proto;
	vmsa_pgt_aarch64_t a;
	struct mem m = {0};
	const vmsa_pgt_ops_t *o = &a.ops;
	unsigned char *page = aligned_alloc(4096, 8192);

	CHECK(page != NULL);
	if (!page)
		return;
	mm.ctx = &m;
	CHECK_EQ(vmsa_pgt_aarch64_init(&a, VMSA_GRANULE_4K, &mm, &f), 0);
	for (unsigned i = 0; i < 8192; i++)
		page[i] = (unsigned char)i;
	o->dsb(o->ctx, VMSA_PGT_DSB_ISHST);
	o->dsb(o->ctx, VMSA_PGT_DSB_ISH);
	o->dsb(o->ctx, VMSA_PGT_DSB_NSHST);
	o->dsb(o->ctx, VMSA_PGT_DSB_NSH);
	o->isb(o->ctx);
	/* A VA inside the page: the whole granule holding it. */
	o->cmo(o->ctx, VMSA_PGT_DC_CVAC, page + 4096 + 100);
	o->cmo(o->ctx, VMSA_PGT_DC_CIVAC, page);
	o->cmo(o->ctx, VMSA_PGT_DC_CVAU, page);
	o->cmo(o->ctx, VMSA_PGT_IC_IVAU, page);
	o->dsb(o->ctx, VMSA_PGT_DSB_ISH);
	for (unsigned i = 0; i < 8192; i++)
		if (page[i] != (unsigned char)i) {
			CHECK_EQ(page[i], (unsigned char)i);
			break;
		}
	CHECK_EQ(page[8191], 0xff);
	free(page);
}

#else

/* Not an AArch64 host: nothing to run (ISO C wants a declaration). */
typedef int vmsa_test_aarch64_backend_unused;

#endif
