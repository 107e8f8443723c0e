/*
 * tests/pgtable/pgt_ops.c - the page-table library's test ops: plain
 * memory (or a backend, watched), every table page registered, the ops
 * contract checked (see pgt_ops.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgt_ops.h"

static void to_bad(tops_t *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void to_bad(tops_t *t, const char *fmt, ...)
{
	va_list ap;

	if (t->bad++ == 0) {
		va_start(ap, fmt);
		vsnprintf(t->why, sizeof(t->why), fmt, ap);
		va_end(ap);
	}
}

/* The live page holding addr, or -1. */
int to_find(tops_t *t, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	if (t->last < t->n && a >= (uintptr_t)t->page[t->last] &&
	    a < (uintptr_t)t->page[t->last] + t->psize)
		return (int)t->last;
	for (unsigned i = 0; i < t->n; i++) {
		if (a >= (uintptr_t)t->page[i] &&
		    a < (uintptr_t)t->page[i] + t->psize) {
			t->last = i;
			return (int)i;
		}
	}
	return -1;
}

/* A descriptor pointer the library may use: 8-byte aligned, in a live
 * table page. */
static bool to_entry_ok(tops_t *t, uint64_t *ptep, const char *what)
{
	if (((uintptr_t)ptep & 7) || to_find(t, ptep) < 0) {
		to_bad(t, "%s of %p, not an entry of a live table page", what,
		       (void *)ptep);
		return false;
	}
	return true;
}

static uint64_t to_read(void *ctx, uint64_t *ptep)
{
	tops_t *t = ctx;

	if (!to_entry_ok(t, ptep, "read"))
		return 0;
	if (t->inner)
		return t->inner->read(t->inner->ctx, ptep);
	return __atomic_load_n(ptep, __ATOMIC_RELAXED);
}

static void to_write(void *ctx, uint64_t *ptep, uint64_t v, bool release)
{
	tops_t *t = ctx;

	if (!to_entry_ok(t, ptep, "write"))
		return;
	if (t->inner)
		t->inner->write(t->inner->ctx, ptep, v, release);
	else
		__atomic_store_n(ptep, v,
				 release ? __ATOMIC_RELEASE : __ATOMIC_RELAXED);
}

static uint64_t to_cas(void *ctx, uint64_t *ptep, uint64_t old, uint64_t new)
{
	tops_t *t = ctx;

	if (!to_entry_ok(t, ptep, "cas"))
		return ~old; /* "changed": the library backs off */
	if (t->cas_at >= 0 && t->n_cas++ == (unsigned long)t->cas_at &&
	    t->race)
		t->race(t, ptep);
	if (t->inner)
		return t->inner->cas(t->inner->ctx, ptep, old, new);
	__atomic_compare_exchange_n(ptep, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static void to_dsb(void *ctx, vmsa_pgt_dsb_t kind)
{
	tops_t *t = ctx;

	t->n_dsb++;
	if (t->inner)
		t->inner->dsb(t->inner->ctx, kind);
}

static void to_isb(void *ctx)
{
	tops_t *t = ctx;

	t->n_isb++;
	if (t->inner)
		t->inner->isb(t->inner->ctx);
}

static void to_tlbi(void *ctx, const vmsa_pgt_tlbi_t *op)
{
	tops_t *t = ctx;

	t->n_tlbi++;
	if (t->inner)
		t->inner->tlbi(t->inner->ctx, op);
}

static void to_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	tops_t *t = ctx;

	(void)va; /* an output address: never dereferenced */
	t->n_cmo++;
	if ((unsigned)op <= VMSA_PGT_IC_IALLUIS)
		t->n_cmo_op[op]++;
	else
		to_bad(t, "cmo %d: no such operation", (int)op);
	if (t->inner)
		t->inner->cmo(t->inner->ctx, op, va);
}

/* n zeroed granules aligned to n granules, each a page with count 1;
 * one allocation as far as failure injection counts. */
static void *to_alloc(tops_t *t, unsigned n)
{
	unsigned long k = t->allocs++;
	size_t size = t->psize * n;
	char *p;

	if (t->fail_at >= 0 && k == (unsigned long)t->fail_at)
		return NULL;
	if (t->n + n > TO_MAX_PAGES) {
		to_bad(t, "more than %d table pages", TO_MAX_PAGES);
		return NULL;
	}
	if (t->inner) {
		const vmsa_pgt_ops_t *o = t->inner;

		p = n == 1 ? o->zalloc_page(o->ctx) : o->zalloc_pages(o->ctx, n);
		if (!p)
			return NULL;
		/* The ops contract: zeroed, aligned to the allocation. */
		if ((uintptr_t)p & (size - 1))
			to_bad(t, "backend page %p not aligned", (void *)p);
		for (size_t i = 0; i < size / 8; i++)
			if (((uint64_t *)p)[i])
				to_bad(t, "backend page %p not zeroed", (void *)p);
	} else {
		p = aligned_alloc(size, size);
		if (!p)
			return NULL;
		memset(p, 0, size);
	}
	for (unsigned i = 0; i < n; i++) {
		t->page[t->n] = p + i * t->psize;
		t->base[t->n] = p;
		t->count[t->n] = 1;
		t->n++;
	}
	return p;
}

static void *to_zalloc(void *ctx)
{
	return to_alloc(ctx, 1);
}

static void *to_zalloc_pages(void *ctx, unsigned n)
{
	tops_t *t = ctx;

	if (n < 2 || n > 16) {
		to_bad(t, "zalloc_pages(%u): 2 to 16 only", n);
		return NULL;
	}
	return to_alloc(t, n);
}

static void to_free(void *ctx, void *page)
{
	tops_t *t = ctx;
	int i = to_find(t, page);
	void *base;

	if (i < 0 || t->page[i] != page) {
		to_bad(t, "free_page(%p): not a live table page", page);
		return;
	}
	if (t->count[i] != 0)
		to_bad(t, "free_page(%p) with reference count %d", page,
		       t->count[i]);
	base = t->inner ? NULL : t->base[i];
	if (t->inner)
		t->inner->free_page(t->inner->ctx, page);
	else /* poison, so that a stale read in a plain build shows */
		memset(page, 0xa5, t->psize);
	t->n--;
	t->page[i] = t->page[t->n];
	t->base[i] = t->base[t->n];
	t->count[i] = t->count[t->n];
	t->last = 0;
	/* A concatenated root is freed page by page: the memory goes back
	 * with its last page. */
	for (unsigned k = 0; base && k < t->n; k++)
		if (t->base[k] == base)
			return;
	free(base);
}

static void to_get(void *ctx, void *page)
{
	tops_t *t = ctx;
	int i = to_find(t, page);

	if (i < 0 || t->page[i] != page)
		to_bad(t, "get_page(%p): not a live table page", page);
	else
		t->count[i]++;
	if (t->inner)
		t->inner->get_page(t->inner->ctx, page);
}

static void to_put(void *ctx, void *page)
{
	tops_t *t = ctx;
	int i = to_find(t, page);

	if (i < 0 || t->page[i] != page)
		to_bad(t, "put_page(%p): not a live table page", page);
	else if (t->count[i] <= 0)
		to_bad(t, "put_page(%p) with reference count %d", page,
		       t->count[i]);
	else
		t->count[i]--;
	if (t->inner)
		t->inner->put_page(t->inner->ctx, page);
}

static int to_count(void *ctx, void *page)
{
	tops_t *t = ctx;
	int i = to_find(t, page);

	if (i < 0 || t->page[i] != page) {
		to_bad(t, "page_count(%p): not a live table page", page);
		return 0;
	}
	if (t->inner) {
		int c = t->inner->page_count(t->inner->ctx, page);

		if (c != t->count[i])
			to_bad(t, "page_count(%p): backend %d, registry %d",
			       page, c, t->count[i]);
		return c;
	}
	return t->count[i];
}


static vmsa_pgt_pa_t to_v2p(void *ctx, void *va)
{
	tops_t *t = ctx;

	if (t->inner)
		return t->inner->virt_to_phys(t->inner->ctx, va);
	return VMSA_PGT_PA((uintptr_t)va ^ TO_PA_FLIP);
}

static void *to_p2v(void *ctx, vmsa_pgt_pa_t pa)
{
	tops_t *t = ctx;

	if (t->inner)
		return t->inner->phys_to_virt(t->inner->ctx, pa);
	return (void *)(uintptr_t)(pa.pa ^ TO_PA_FLIP);
}

void tops_init(tops_t *t, vmsa_granule_t g,
		      const vmsa_pgt_features_t *f)
{
	memset(t, 0, sizeof(*t));
	t->psize = (size_t)1 << vmsa_granule_shift(g);
	t->fail_at = -1;
	t->cas_at = -1;
	t->ops = (vmsa_pgt_ops_t){
		.ctx = t,
		.read = to_read, .write = to_write, .cas = to_cas,
		.dsb = to_dsb, .isb = to_isb, .tlbi = to_tlbi, .cmo = to_cmo,
		.zalloc_page = to_zalloc, .zalloc_pages = to_zalloc_pages,
		.free_page = to_free,
		.get_page = to_get, .put_page = to_put, .page_count = to_count,
		.virt_to_phys = to_v2p, .phys_to_virt = to_p2v,
		.features = *f,
	};
}

/* Free whatever the library left (after a failed test), so that ASan's
 * leak check reports the library's leaks only through the test. */
void tops_release(tops_t *t)
{
	if (t->inner)
		t->n = 0; /* the backend's pool goes with the backend */
	while (t->n) {
		void *base = t->base[0];
		unsigned k = 0;

		for (unsigned i = 0; i < t->n; i++)
			if (t->base[i] != base) {
				t->page[k] = t->page[i];
				t->base[k] = t->base[i];
				k++;
			}
		t->n = k;
		free(base);
	}
}
