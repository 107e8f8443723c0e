/*
 * src/model/mem.c - physical memory and the page allocator (mem.h).
 *
 * Page states are one byte per 4 KiB page. Allocation scans from the
 * lowest free page for the first aligned run of free pages: memories are
 * small (thousands of pages) and a scan keeps the result deterministic
 * and obviously the lowest fit.
 */
#include "model/mem.h"

#include <assert.h>
#include <stdatomic.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * One spare memory, kept by mem_destroy() for the next mem_init() of the
 * same size. A program that runs many searches in one process (a `vmsa
 * check --no-isolate` of every configuration, `vmsa litmus` over a
 * catalogue, the C API in a loop) made a machine per search: a fresh
 * mapping whose every used page faulted in again, its munmap() and TLB
 * shoot-down, and the calloc()s of the page arrays, a tenth of the time
 * of a short search (bench/explore). The spare is reset first
 * (mem_reset(): every page that may be non-zero is listed and cleared,
 * the invariant every restore relies on too), so a memory taken from it
 * is what a fresh one is: every byte zero, every page free and unlisted
 * (snap_index is only read for pages a snapshot lists, after checking
 * it). One slot, taken and given back with atomics: threads that
 * explore at the same time simply make their own. The slot is released
 * at exit.
 */
enum { SPARE_EMPTY, SPARE_BUSY, SPARE_FULL };

static _Atomic int spare_state = SPARE_EMPTY;
static struct vmsa_mem spare;
static atomic_flag spare_atexit = ATOMIC_FLAG_INIT;

static void mem_release(struct vmsa_mem *m);

static void spare_free(void)
{
	int full = SPARE_FULL;

	if (atomic_compare_exchange_strong(&spare_state, &full, SPARE_BUSY)) {
		mem_release(&spare);
		atomic_store(&spare_state, SPARE_EMPTY);
	}
}

/* Take the spare's mapping and arrays into m when they have npages
 * pages. */
static bool spare_take(struct vmsa_mem *m, uint32_t npages)
{
	int full = SPARE_FULL;

	if (!atomic_compare_exchange_strong(&spare_state, &full, SPARE_BUSY))
		return false;
	if (spare.npages != npages) {
		atomic_store(&spare_state, SPARE_FULL);
		return false;
	}
	m->block = spare.block;
	m->block_size = spare.block_size;
	m->page = spare.page;
	m->touched = spare.touched;
	m->changed = spare.changed;
	m->snap_index = spare.snap_index;
	memset(&spare, 0, sizeof(spare));
	atomic_store(&spare_state, SPARE_EMPTY);
	return true;
}

/* Keep m (complete) as the spare, reset, when the slot is empty. */
static bool spare_keep(struct vmsa_mem *m)
{
	int empty = SPARE_EMPTY;

	if (!m->block || !m->page || !m->touched || !m->changed ||
	    !m->snap_index || !m->npages ||
	    !atomic_compare_exchange_strong(&spare_state, &empty, SPARE_BUSY))
		return false;
	if (!atomic_flag_test_and_set(&spare_atexit) && atexit(spare_free)) {
		atomic_store(&spare_state, SPARE_EMPTY);
		return false;
	}
	mem_reset(m);
	spare = *m;
	atomic_store(&spare_state, SPARE_FULL);
	return true;
}

int mem_init(struct vmsa_mem *m, uint64_t base, uint64_t size)
{
	uint64_t npages = size >> MEM_PAGE_SHIFT;

	memset(m, 0, sizeof(*m));
	if (size == 0 || base % MEM_ALIGN || size % MEM_ALIGN)
		return -EINVAL;
	/* The last byte must have a PA; page indices fit in 32 bits. */
	if (base + (size - 1) < base || npages > UINT32_MAX ||
	    size > SIZE_MAX)
		return -EINVAL;

	/* A fresh anonymous mapping is zero without being touched, so an
	 * untouched page costs nothing (calloc would clear the whole block
	 * whenever malloc reuses heap memory for it); over-allocated to align
	 * bytes to MEM_ALIGN. */
	m->block_size = (size_t)size + MEM_ALIGN;
	if (!spare_take(m, (uint32_t)npages)) {
		m->block = mmap(NULL, m->block_size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m->block == MAP_FAILED)
			m->block = NULL;
		m->page = calloc((size_t)npages, sizeof(*m->page));
		m->touched = malloc((size_t)npages * sizeof(*m->touched));
		m->changed = malloc((size_t)npages * sizeof(*m->changed));
		m->snap_index = calloc((size_t)npages, sizeof(*m->snap_index));
	}
	if (!m->block || !m->page || !m->touched || !m->changed ||
	    !m->snap_index) {
		mem_destroy(m);
		return -ENOMEM;
	}
	m->bytes = (uint8_t *)(((uintptr_t)m->block + MEM_ALIGN - 1) &
			       ~(uintptr_t)(MEM_ALIGN - 1));
	m->base = base;
	m->size = size;
	m->npages = (uint32_t)npages;
	m->nfree = (uint32_t)npages;
	return 0;
}

/* Give m's mapping and arrays back to the system. */
static void mem_release(struct vmsa_mem *m)
{
	if (m->block)
		munmap(m->block, m->block_size);
	free(m->page);
	free(m->touched);
	free(m->changed);
	free(m->snap_index);
	memset(m, 0, sizeof(*m));
}

void mem_destroy(struct vmsa_mem *m)
{
	if (!spare_keep(m))
		mem_release(m);
	memset(m, 0, sizeof(*m));
}

/* Start a new word log: the memory is what a load or reset left. */
static void wlog_clear(struct vmsa_mem *m)
{
	m->nwlog = 0;
	m->wlog_full = false;
}

/* List the word of pa in the word log (a store to it). */
static void wlog_add(struct vmsa_mem *m, uint64_t pa)
{
	pa &= ~(uint64_t)7;
	if (m->nwlog && m->wlog[m->nwlog - 1] == pa)
		return;
	if (m->nwlog == MEM_WLOG_MAX)
		m->wlog_full = true;
	else
		m->wlog[m->nwlog++] = pa;
}

void mem_reset(struct vmsa_mem *m)
{
	m->gen++;
	wlog_clear(m);
	/* Every page with a flag is listed: allocated ones are freed, and
	 * only those that may be non-zero are cleared (a scenario that
	 * allocates a 2M block and writes one word clears one page). */
	for (uint32_t i = 0; i < m->ntouched; i++) {
		uint32_t pg = m->touched[i];

		if (m->page[pg] & MEM_PG_DIRTY)
			memset(m->bytes + (size_t)pg * MEM_PAGE_SIZE, 0,
			       MEM_PAGE_SIZE);
		m->page[pg] = 0;
	}
	m->ntouched = 0;
	m->nchanged = 0;
	m->nfree = m->npages;
	m->first_free = 0;
	m->loaded = NULL;
}

/* Put page pg on the list that mem_reset() visits. */
static void list_page(struct vmsa_mem *m, uint32_t pg)
{
	if (m->page[pg] & MEM_PG_TOUCHED)
		return;
	m->page[pg] |= MEM_PG_TOUCHED;
	m->touched[m->ntouched++] = pg;
}

/* Page pg's contents or flags change: list it for mem_load() (each page
 * once until the next load or reset, so `changed` never overflows). */
static void mark_written(struct vmsa_mem *m, uint32_t pg)
{
	if (m->page[pg] & MEM_PG_WRITTEN)
		return;
	m->page[pg] |= MEM_PG_WRITTEN;
	m->changed[m->nchanged++] = pg;
}

/* Record that page pg may now be non-zero. */
static void touch(struct vmsa_mem *m, uint32_t pg)
{
	m->gen++;
	m->page[pg] |= MEM_PG_DIRTY;
	mark_written(m, pg);
	list_page(m, pg);
}

/* Index of the page holding pa, which must be inside memory. */
static uint32_t page_index(const struct vmsa_mem *m, uint64_t pa)
{
	return (uint32_t)((pa - m->base) >> MEM_PAGE_SHIFT);
}

void *mem_ptr(struct vmsa_mem *m, uint64_t pa)
{
	if (!mem_contains(m, pa, 1))
		return NULL;
	touch(m, page_index(m, pa));
	/* Stores through it are not logged. */
	m->page[page_index(m, pa)] |= MEM_PG_UNLOGGED;
	return m->bytes + (pa - m->base);
}

void *mem_store_ptr(struct vmsa_mem *m, uint64_t pa, unsigned size)
{
	mem_check_access(m, pa, size);
	touch(m, page_index(m, pa));
	wlog_add(m, pa);
	return m->bytes + (pa - m->base);
}

/* Record that host code may store to page pg at any time, unseen. */
static void expose(struct vmsa_mem *m, uint32_t pg)
{
	m->gen++;
	m->page[pg] |= MEM_PG_EXPOSED | MEM_PG_DIRTY;
	mark_written(m, pg);
	list_page(m, pg);
}

/*
 * The host may store anywhere in the allocation that holds pa (mem.h), so
 * the whole allocation is exposed: from its first page (MEM_PG_HEAD) to
 * the next allocation or free page. After partial frees that run can be
 * longer than the allocation was; exposing more is only slower. An
 * exposed page needs no new walk: take() keeps "an allocated exposed page
 * means its whole allocation is exposed" true.
 */
void *mem_host_ptr(struct vmsa_mem *m, uint64_t pa)
{
	uint32_t pg, first, end;

	if (!mem_contains(m, pa, 1))
		return NULL;
	pg = page_index(m, pa);
	if (!(m->page[pg] & MEM_PG_EXPOSED)) {
		first = pg;
		end = pg + 1;
		if (m->page[pg] & MEM_PG_ALLOCATED) {
			while (!(m->page[first] & MEM_PG_HEAD) && first > 0 &&
			       (m->page[first - 1] & MEM_PG_ALLOCATED))
				first--;
			while (end < m->npages &&
			       (m->page[end] & MEM_PG_ALLOCATED) &&
			       !(m->page[end] & MEM_PG_HEAD))
				end++;
		}
		for (uint32_t i = first; i < end; i++)
			expose(m, i);
	}
	return m->bytes + (pa - m->base);
}

uint64_t mem_pa(const struct vmsa_mem *m, const void *p)
{
	/* Compare as integers: relational operators on pointers into
	 * different objects are undefined. */
	uintptr_t start = (uintptr_t)m->bytes, q = (uintptr_t)p;

	if (!p || !m->bytes || q < start || q - start >= m->size)
		return VMSA_BAD_PA;
	return m->base + (q - start);
}

/* Index of the first allocated page in [from, from + n), or UINT32_MAX
 * when the whole run is free. */
static uint32_t first_allocated(const struct vmsa_mem *m, uint32_t from,
				unsigned n)
{
	for (uint32_t i = from; i < from + n; i++)
		if (m->page[i] & MEM_PG_ALLOCATED)
			return i;
	return UINT32_MAX;
}

/* Lowest index i >= from whose PA is a multiple of align pages. */
static uint64_t align_index(const struct vmsa_mem *m, uint64_t from,
			    unsigned align)
{
	uint64_t pfn = (m->base >> MEM_PAGE_SHIFT) + from;

	pfn = (pfn + align - 1) & ~((uint64_t)align - 1);
	return pfn - (m->base >> MEM_PAGE_SHIFT);
}

/* Hand out pages [first, first + n): mark them and give them zeroed. */
static void take(struct vmsa_mem *m, uint32_t first, unsigned n)
{
	bool exposed = false;

	m->gen++;
	for (uint32_t i = first; i < first + n; i++) {
		/* A page nobody wrote is still zero from the last clear. */
		if (m->page[i] & MEM_PG_DIRTY)
			memset(m->bytes + (size_t)i * MEM_PAGE_SIZE, 0,
			       MEM_PAGE_SIZE);
		/* An old host pointer may still reach an exposed page: it
		 * stays possibly non-zero. */
		if (m->page[i] & MEM_PG_EXPOSED)
			exposed = true;
		else
			m->page[i] &= (uint8_t)~MEM_PG_DIRTY;
		list_page(m, i);
		m->page[i] &= (uint8_t)~MEM_PG_HEAD;
		m->page[i] |= MEM_PG_ALLOCATED | MEM_PG_UNLOGGED;
		mark_written(m, i);
	}
	m->page[first] |= MEM_PG_HEAD;
	/* One exposed page exposes its whole allocation (mem_host_ptr). */
	for (uint32_t i = first; exposed && i < first + n; i++)
		expose(m, i);
	m->nfree -= n;
}

uint64_t mem_alloc(struct vmsa_mem *m, unsigned n, unsigned align_pages)
{
	uint64_t i;

	if (n == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
		return VMSA_BAD_PA;
	if (n > m->nfree)
		return VMSA_BAD_PA;
	while (m->first_free < m->npages &&
	       (m->page[m->first_free] & MEM_PG_ALLOCATED))
		m->first_free++;

	for (i = m->first_free;;) {
		uint32_t busy;

		i = align_index(m, i, align_pages);
		if (i + n > m->npages)
			return VMSA_BAD_PA;
		busy = first_allocated(m, (uint32_t)i, n);
		if (busy == UINT32_MAX)
			break;
		i = (uint64_t)busy + 1;
	}
	take(m, (uint32_t)i, n);
	return m->base + (i << MEM_PAGE_SHIFT);
}

int mem_free(struct vmsa_mem *m, uint64_t pa, unsigned n)
{
	uint32_t first;

	if (n == 0 || pa % MEM_PAGE_SIZE ||
	    !mem_contains(m, pa, (uint64_t)n << MEM_PAGE_SHIFT))
		return -EINVAL;
	first = page_index(m, pa);
	m->gen++;
	/* Check the whole range first: a bad free changes nothing. */
	for (uint32_t i = first; i < first + n; i++)
		if (!(m->page[i] & MEM_PG_ALLOCATED))
			return -EALREADY;
	for (uint32_t i = first; i < first + n; i++) {
		m->page[i] &= (uint8_t)~MEM_PG_ALLOCATED;
		mark_written(m, i);	/* its flags changed */
	}
	m->nfree += n;
	if (first < m->first_free)
		m->first_free = first;
	return 0;
}

uint64_t mem_free_pages(const struct vmsa_mem *m)
{
	return m->nfree;
}

void mem_write(struct vmsa_mem *m, uint64_t pa, unsigned size, uint64_t v)
{
	mem_check_access(m, pa, size);
	touch(m, page_index(m, pa));
	wlog_add(m, pa);
	mem_store_le(m->bytes + (pa - m->base), size, v);
}

int mem_save(const struct vmsa_mem *m, struct mem_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->n = m->ntouched;
	s->nfree = m->nfree;
	s->first_free = m->first_free;
	s->pg = malloc((size_t)s->n * sizeof(*s->pg) + 1);
	s->flags = malloc((size_t)s->n + 1);
	s->data = malloc((size_t)s->n * MEM_PAGE_SIZE + 1);
	s->exposed = malloc((size_t)s->n * sizeof(*s->exposed) + 1);
	if (!s->pg || !s->flags || !s->data || !s->exposed) {
		mem_snap_free(s);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < s->n; i++) {
		uint32_t pg = m->touched[i];

		s->pg[i] = pg;
		/* As loaded, nothing has changed: not unlogged either. */
		s->flags[i] = m->page[pg] &
			      (uint8_t)~(MEM_PG_WRITTEN | MEM_PG_UNLOGGED);
		if (s->flags[i] & MEM_PG_EXPOSED)
			s->exposed[s->nexposed++] = i;
		if (m->page[pg] & MEM_PG_DIRTY)
			memcpy(s->data + (size_t)i * MEM_PAGE_SIZE,
			       m->bytes + (size_t)pg * MEM_PAGE_SIZE,
			       MEM_PAGE_SIZE);
	}
	return 0;
}

/* Did page pg change since the last load only in the words the word log
 * names (struct vmsa_mem)? Then those words are all a load must undo. */
static bool page_logged(const struct vmsa_mem *m, uint32_t pg)
{
	return !m->wlog_full &&
	       !(m->page[pg] & (MEM_PG_EXPOSED | MEM_PG_UNLOGGED));
}

/* The logged words of the snapshot's pages that changed only in logged
 * words get the snapshot's values back (a litmus execution's stores are a
 * few words of a few pages: copying their 4 KiB pages whole cost 2% of a
 * search). */
static void load_logged_words(struct vmsa_mem *m, const struct mem_snap *s)
{
	for (uint32_t k = 0; k < m->nwlog; k++) {
		uint64_t off = m->wlog[k] - m->base;
		uint32_t pg = (uint32_t)(off >> MEM_PAGE_SHIFT);
		uint32_t i = m->snap_index[pg];

		if (!page_logged(m, pg) || i >= s->n || s->pg[i] != pg ||
		    !(m->page[pg] & MEM_PG_WRITTEN))
			continue;
		if (s->flags[i] & MEM_PG_DIRTY)
			memcpy(m->bytes + off, s->data + (size_t)i *
			       MEM_PAGE_SIZE + (off & (MEM_PAGE_SIZE - 1)), 8);
		else
			memset(m->bytes + off, 0, 8);
	}
}

/*
 * Loading the snapshot that was loaded last only undoes what changed
 * since: pages listed after it are cleared, and of its own pages only
 * those written since (the `changed` list: every page whose contents or
 * flags changed is on it) get their contents and flags back, and those
 * exposed to host code are compared (the explorer restores the same
 * snapshot before every execution, and an execution changes little: a
 * pass over all of the snapshot's pages was a fifth of a search that had
 * mapped a 2M block). The other pages have the snapshot's contents and
 * flags already.
 */
static bool load_changes(struct vmsa_mem *m, const struct mem_snap *s)
{
	if (m->loaded != s || m->ntouched < s->n)
		return false;
	for (uint32_t i = s->n; i < m->ntouched; i++) {
		uint32_t pg = m->touched[i];

		if (m->page[pg] & MEM_PG_DIRTY)
			memset(m->bytes + (size_t)pg * MEM_PAGE_SIZE, 0,
			       MEM_PAGE_SIZE);
		m->page[pg] = 0;
	}
	m->ntouched = s->n;
	for (uint32_t k = 0; k < s->nexposed; k++) {
		uint32_t i = s->exposed[k], pg = s->pg[i];
		uint8_t *p = m->bytes + (size_t)pg * MEM_PAGE_SIZE;
		const uint8_t *saved = s->data + (size_t)i * MEM_PAGE_SIZE;

		/* Host code wrote it unseen. Most executions leave an exposed
		 * page alone: comparing writes nothing. (EXPOSED implies
		 * DIRTY: saved holds its data.) */
		if (!(m->page[pg] & MEM_PG_WRITTEN) &&
		    memcmp(p, saved, MEM_PAGE_SIZE))
			memcpy(p, saved, MEM_PAGE_SIZE);
	}
	load_logged_words(m, s);
	for (uint32_t k = 0; k < m->nchanged; k++) {
		uint32_t pg = m->changed[k], i = m->snap_index[pg];
		uint8_t *p = m->bytes + (size_t)pg * MEM_PAGE_SIZE;

		/* Pages that are not the snapshot's were cleared above. */
		if (i >= s->n || s->pg[i] != pg)
			continue;
		if (!page_logged(m, pg)) {
			if (s->flags[i] & MEM_PG_DIRTY)
				memcpy(p, s->data + (size_t)i * MEM_PAGE_SIZE,
				       MEM_PAGE_SIZE);
			else
				memset(p, 0, MEM_PAGE_SIZE);
		}
		m->page[pg] = s->flags[i];
	}
	m->nchanged = 0;
	return true;
}

void mem_load(struct vmsa_mem *m, const struct mem_snap *s)
{
	bool undone;

	m->gen++;
	/* load_changes() reads the word log of the changes it undoes. */
	undone = load_changes(m, s);
	wlog_clear(m);
	if (!undone) {
		mem_reset(m);
		for (uint32_t i = 0; i < s->n; i++) {
			uint32_t pg = s->pg[i];

			m->page[pg] = s->flags[i];
			m->touched[m->ntouched++] = pg;
			m->snap_index[pg] = i;
			if (s->flags[i] & MEM_PG_DIRTY)
				memcpy(m->bytes + (size_t)pg * MEM_PAGE_SIZE,
				       s->data + (size_t)i * MEM_PAGE_SIZE,
				       MEM_PAGE_SIZE);
		}
	}
	m->nfree = s->nfree;
	m->first_free = s->first_free;
	m->loaded = s;
}

void mem_snap_free(struct mem_snap *s)
{
	free(s->pg);
	free(s->flags);
	free(s->data);
	free(s->exposed);
	memset(s, 0, sizeof(*s));
}
