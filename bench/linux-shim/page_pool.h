/*
 * bench/linux-shim/page_pool.h - the table pages Linux's kvm_pgtable gets
 * in bench/pgtable, made like those of vmsa's host backend
 * (src/backend/host.c) so that both libraries pay the same for a page:
 * one arena of 4K pages reserved up front (resident only once handed
 * out), a stack of freed pages reused first, a reference count per page
 * (which, unlike the kernel's struct page count, any address inside the
 * page reaches: Linux passes entry pointers), zeroing at allocation.
 */
#ifndef VMSA_BENCH_PAGE_POOL_H
#define VMSA_BENCH_PAGE_POOL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define POOL_PAGE 4096u
/* The longest run of contiguous pages, aligned to its size: a stage-2
 * root of 16 concatenated tables. */
#define POOL_RUN_MAX 16u

typedef struct page_pool {
	char *base;
	uint32_t npages;
	uint32_t bump;      /* pages [0, bump) were handed out at least once */
	uint32_t nfree;
	uint32_t *free;     /* stack of freed page indexes */
	int *refs;
	long in_use;
} page_pool_t;

/* Reserve npages, the first aligned to POOL_RUN_MAX pages; exits on
 * failure (a benchmark cannot go on). */
static inline void pool_init(page_pool_t *p, uint32_t npages)
{
	const size_t align = (size_t)POOL_RUN_MAX * POOL_PAGE;
	char *m = mmap(NULL, (size_t)npages * POOL_PAGE + align,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	p->free = malloc(npages * sizeof(*p->free));
	p->refs = calloc(npages, sizeof(*p->refs));
	if (m == MAP_FAILED || !p->free || !p->refs) {
		fprintf(stderr, "bench/pgtable: cannot reserve the page pool\n");
		exit(1);
	}
	p->base = (char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
	p->npages = npages;
	p->bump = p->nfree = 0;
	p->in_use = 0;
}

/* The index of the page holding addr (any address inside it). */
static inline uint32_t pool_index(const page_pool_t *p, const void *addr)
{
	uintptr_t off = (uintptr_t)addr - (uintptr_t)p->base;

	if ((uintptr_t)addr < (uintptr_t)p->base ||
	    off >= (uintptr_t)p->npages * POOL_PAGE) {
		fprintf(stderr, "bench/pgtable: %p is not a pool page\n", addr);
		abort();
	}
	return (uint32_t)(off / POOL_PAGE);
}

/* n (1 to POOL_RUN_MAX) contiguous zeroed pages aligned to n pages,
 * each with reference count 1, or NULL. Single pages are reused from the
 * free stack; runs come from the untouched part (the pages skipped to
 * align one are never touched). */
static inline void *pool_zalloc(page_pool_t *p, uint32_t n)
{
	uint32_t idx;
	char *page;

	if (n == 0 || n > POOL_RUN_MAX)
		return NULL;
	if (n == 1 && p->nfree) {
		idx = p->free[--p->nfree];
	} else {
		idx = (p->bump + n - 1) / n * n;
		if (idx > p->npages || p->npages - idx < n)
			return NULL;
		p->bump = idx + n;
	}
	page = p->base + (size_t)idx * POOL_PAGE;
	memset(page, 0, (size_t)n * POOL_PAGE);
	for (uint32_t i = 0; i < n; i++)
		p->refs[idx + i] = 1;
	p->in_use += n;
	return page;
}

static inline void pool_free(page_pool_t *p, void *page)
{
	uint32_t idx = pool_index(p, page);

	p->refs[idx] = 0;
	p->free[p->nfree++] = idx;
	p->in_use--;
}

static inline void pool_get(page_pool_t *p, void *addr)
{
	p->refs[pool_index(p, addr)]++;
}

/* Drop a reference; the page is freed when none is left. */
static inline void pool_put(page_pool_t *p, void *addr)
{
	uint32_t idx = pool_index(p, addr);

	if (--p->refs[idx] == 0) {
		p->free[p->nfree++] = idx;
		p->in_use--;
	}
}

static inline int pool_count(const page_pool_t *p, void *addr)
{
	return p->refs[pool_index(p, addr)];
}

#endif
