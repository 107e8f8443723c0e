/*
 * src/model/mem.h - the machine's physical memory and its page allocator.
 * Private to src/model/.
 *
 * Memory is one host allocation: the byte at PA base + i is bytes[i], so
 * a host pointer and its PA differ by a constant and the page-table
 * library can use plain pointers into memory. base and the allocation are
 * both 64 KiB aligned, so a PA aligned to 4K, 16K or 64K has a host
 * pointer with the same alignment.
 *
 * The array holds the newest data written by anyone: what a reader that
 * follows program order expects. Where a cached copy and the Point of
 * Coherency disagree, the other copy lives in cache.c.
 *
 * The allocator hands out 4 KiB pages, lowest fitting range first, so
 * that every run of a scenario sees the same addresses. A freed page
 * keeps its content: a stale translation that still reaches it reads
 * what was there, which is what use-after-free detection needs.
 *
 * mem_reset() must be cheap because the explorer resets the machine for
 * every execution. Every page that may have become non-zero since the
 * last reset is "touched" and listed; a reset zeroes only those. A page
 * becomes touched when it is allocated, when mem_write() stores to it,
 * and when mem_ptr() or mem_host_ptr() hands out a writable pointer into
 * it. Untouched pages are known to be zero, so allocating one needs no
 * memset either.
 *
 * Host code (scenarios, the page-table library) stores through pointers
 * the model never sees again: a pointer from mem_host_ptr() makes its
 * page, and every page of the allocation that holds it, "exposed". An
 * exposed page is taken as changed at every reset and every load, so a
 * snapshot taken after set-up comes back exactly however often CPU code
 * writes through set-up's pointers.
 */
#ifndef VMSA_MODEL_MEM_H
#define VMSA_MODEL_MEM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmsa/model.h"

#define MEM_PAGE_SHIFT 12
#define MEM_PAGE_SIZE (1u << MEM_PAGE_SHIFT)
/* Alignment of base, size and the host allocation: the largest granule. */
#define MEM_ALIGN 0x10000u
/* Stores struct vmsa_mem's word log holds between two loads. */
#define MEM_WLOG_MAX 64u

struct vmsa_mem {
	uint64_t base;		/* PA of bytes[0]; a multiple of MEM_ALIGN */
	uint64_t size;		/* bytes; a non-zero multiple of MEM_ALIGN */
	uint8_t *bytes;		/* the newest data; MEM_ALIGN-aligned */
	void *block;		/* the mapping bytes points into */
	size_t block_size;
	const void *loaded;	/* the mem_snap last loaded, NULL after a
				   mem_reset(): lets mem_load() undo only
				   what changed since */
	uint32_t npages;	/* size / MEM_PAGE_SIZE */
	uint32_t nfree;		/* pages not allocated */
	uint32_t first_free;	/* no free page has a lower index (a hint) */
	uint8_t *page;		/* per page: MEM_PG_* flags */
	uint32_t *touched;	/* indices of the MEM_PG_TOUCHED pages */
	uint32_t ntouched;
	uint32_t *changed;	/* the MEM_PG_WRITTEN pages, in the order
				   they became so (each once) */
	uint32_t nchanged;
	uint32_t *snap_index;	/* per page: its index in the snapshot
				   loaded last (meaningful for its pages) */
	uint64_t gen;		/* moves on whenever contents or page flags
				   may change: stores, pointers handed out,
				   allocations, frees, resets and loads (the
				   translation fast path, xlat_cache.c) */
	/* The words (8-byte aligned PAs) the model's stores changed since
	 * the last mem_load() or mem_reset(), in store order, repeats
	 * included (mem_write, mem_store_ptr); wlog_full when more were
	 * made than it holds. A page changed otherwise is MEM_PG_UNLOGGED.
	 * So a page neither exposed nor unlogged differs from what the last
	 * load left only in the listed words, unless wlog_full (af_memo.c,
	 * af_memo_cands_logged). */
	uint64_t wlog[MEM_WLOG_MAX];
	uint32_t nwlog;
	bool wlog_full;
};

/* Flags of struct vmsa_mem.page[]. */
#define MEM_PG_ALLOCATED 0x1u	/* handed out by mem_alloc, not freed */
#define MEM_PG_TOUCHED 0x2u	/* listed in touched[] (mem_reset visits it) */
#define MEM_PG_DIRTY 0x4u	/* may be non-zero: written, or a writable
				   host pointer was handed out */
#define MEM_PG_WRITTEN 0x8u	/* content or flags changed since the last
				   mem_load() */
#define MEM_PG_EXPOSED 0x10u	/* host code holds a writable pointer into
				   it (or into its allocation): it may change
				   unseen at any time, so it is restored at
				   every load; always DIRTY too */
#define MEM_PG_HEAD 0x20u	/* first page of an allocation: where the
				   allocation of an exposed page starts */
#define MEM_PG_UNLOGGED 0x40u	/* changed since the last load in words
				   the word log does not name: a writable
				   pointer was handed out (mem_ptr), or it
				   was allocated (and cleared) */

/* Set up m for [base, base + size): all pages free and zero. Returns 0,
 * -EINVAL when base or size is not a multiple of 64 KiB, size is 0, the
 * range wraps, or it has more than 2^32 - 1 pages; -ENOMEM. On error m
 * holds nothing to free (mem_destroy is still safe). */
int mem_init(struct vmsa_mem *m, uint64_t base, uint64_t size);

/* Free what mem_init allocated and clear m. Safe on a cleared struct. */
void mem_destroy(struct vmsa_mem *m);

/* Back to the state mem_init left: every page free and every byte zero.
 * Costs one memset per page touched since the last reset. */
void mem_reset(struct vmsa_mem *m);

/* Whether [pa, pa + size) lies inside memory. An empty range is inside
 * when base <= pa <= base + size. */
static inline bool mem_contains(const struct vmsa_mem *m, uint64_t pa,
				uint64_t size)
{
	/* Written so that no sum can wrap. */
	return pa >= m->base && size <= m->size &&
	       pa - m->base <= m->size - size;
}

/* Is the page of pa (inside memory) as the last mem_load() left it:
 * not written since, and no host code holds a writable pointer into it
 * (which could have changed it unseen)? */
static inline bool mem_page_unchanged(const struct vmsa_mem *m, uint64_t pa)
{
	return !(m->page[(pa - m->base) >> MEM_PAGE_SHIFT] &
		 (MEM_PG_WRITTEN | MEM_PG_EXPOSED));
}

/* Is every change to the page of pa (inside memory) since the last
 * load in the word log: not exposed, not unlogged, the log not full? */
static inline bool mem_page_logged(const struct vmsa_mem *m, uint64_t pa)
{
	return !m->wlog_full &&
	       !(m->page[(pa - m->base) >> MEM_PAGE_SHIFT] &
		 (MEM_PG_EXPOSED | MEM_PG_UNLOGGED));
}

/* Writable host pointer for the model's store of size bytes (1, 2, 4
 * or 8, naturally aligned: one word) at pa, inside memory: as
 * mem_ptr(), but the word is listed in the word log instead of the page
 * being marked unlogged. The store must be made at once, through this
 * pointer, to [pa, pa + size) only. */
void *mem_store_ptr(struct vmsa_mem *m, uint64_t pa, unsigned size);

/* Has host code been handed a writable pointer into the page of pa
 * (inside memory), so that it may change at any time unseen? */
static inline bool mem_page_exposed(const struct vmsa_mem *m, uint64_t pa)
{
	return m->page[(pa - m->base) >> MEM_PAGE_SHIFT] & MEM_PG_EXPOSED;
}

/* Writable host pointer for pa, or NULL outside memory. Marks pa's page
 * touched: stores through the pointer must stay inside that page or
 * inside the allocated range that contains pa, or a reset may miss
 * them. */
void *mem_ptr(struct vmsa_mem *m, uint64_t pa);

/* Writable host pointer for pa, for host code outside the model
 * (vmsa_pa_ptr), or NULL outside memory. Marks pa's page and, when it is
 * allocated, every page of its allocation exposed (MEM_PG_EXPOSED) until
 * the next reset or load of a snapshot that does not have them so. */
void *mem_host_ptr(struct vmsa_mem *m, uint64_t pa);

/* Read-only host pointer for pa, or NULL outside memory. */
static inline const void *mem_cptr(const struct vmsa_mem *m, uint64_t pa)
{
	if (!mem_contains(m, pa, 1))
		return NULL;
	return m->bytes + (pa - m->base);
}

/* PA of a host pointer into memory, or VMSA_BAD_PA when p is not inside
 * it (NULL included). */
uint64_t mem_pa(const struct vmsa_mem *m, const void *p);

/* Allocate n zeroed contiguous pages whose first PA is a multiple of
 * align_pages pages (a PA alignment, not an offset from base). Returns
 * the lowest such PA, or VMSA_BAD_PA when n is 0, align_pages is not a
 * power of two, or no free range fits. */
uint64_t mem_alloc(struct vmsa_mem *m, unsigned n, unsigned align_pages);

/* Free n pages from pa. Returns 0; -EINVAL when n is 0, pa is not page
 * aligned or the range is not inside memory; -EALREADY when one of the
 * pages is already free. On error no page is freed. Content is kept. */
int mem_free(struct vmsa_mem *m, uint64_t pa, unsigned n);

/* Whether the page containing pa is free. False outside memory. */
static inline bool mem_page_free(const struct vmsa_mem *m, uint64_t pa)
{
	if (!mem_contains(m, pa, 1))
		return false;
	return !(m->page[(pa - m->base) >> MEM_PAGE_SHIFT] & MEM_PG_ALLOCATED);
}

/* Number of free pages. */
uint64_t mem_free_pages(const struct vmsa_mem *m);

/* Write the low size (1, 2, 4 or 8) bytes of v at pa, little-endian;
 * naturally aligned and inside memory (asserted). */
void mem_write(struct vmsa_mem *m, uint64_t pa, unsigned size, uint64_t v);

/* Little-endian load of size (<= 8) bytes at p, whatever the host's
 * byte order. */
static inline uint64_t mem_load_le(const void *p, unsigned size)
{
	const uint8_t *b = p;
	uint64_t v = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* A little-endian host loads the access sizes in one go (every
	 * descriptor read and data access comes here). */
	if (size == 8) {
		memcpy(&v, p, 8);
		return v;
	}
	if (size == 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		return w;
	}
#endif
	for (unsigned i = size; i-- > 0;)
		v = v << 8 | b[i];
	return v;
}

/* Little-endian store of the low size (<= 8) bytes of v at p. */
static inline void mem_store_le(void *p, unsigned size, uint64_t v)
{
	uint8_t *b = p;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (size == 8) {
		memcpy(p, &v, 8);
		return;
	}
#endif

	for (unsigned i = 0; i < size; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

/* Assert what every access must be: size 1, 2, 4 or 8, naturally
 * aligned, inside memory (no code in release builds). The model's entry
 * points make sure of it before any access: physical and descriptor
 * accesses are checked by validate.c (a bad one is a "bad-call"), and a
 * translated PA outside memory is a synchronous External abort, on the
 * walk (translate.c's read callback) or on the access (access.c). */
static inline void mem_check_access(const struct vmsa_mem *m, uint64_t pa,
				    unsigned size)
{
	assert(size == 1 || size == 2 || size == 4 || size == 8);
	assert(pa % size == 0);
	assert(mem_contains(m, pa, size));
	(void)m;
	(void)pa;
	(void)size;
}

/* Read size (1, 2, 4 or 8) bytes at pa, naturally aligned and inside
 * memory (asserted), as a little-endian value. */
static inline uint64_t mem_read(const struct vmsa_mem *m, uint64_t pa,
				unsigned size)
{
	mem_check_access(m, pa, size);
	return mem_load_le(m->bytes + (pa - m->base), size);
}

/* A saved memory state (mem_save/mem_load): the listed pages with their
 * flags and, for those that may be non-zero, their contents. */
struct mem_snap {
	uint32_t n;
	uint32_t *pg;
	uint8_t *flags;
	uint8_t *data;		/* MEM_PAGE_SIZE bytes per page, in order */
	uint32_t *exposed;	/* indices of its MEM_PG_EXPOSED pages */
	uint32_t nexposed;
	uint32_t nfree, first_free;
};

/* Save m's state into s (freed with mem_snap_free). 0 or -ENOMEM. */
int mem_save(const struct vmsa_mem *m, struct mem_snap *s);

/* Put m back in the state s saved (m has the same geometry). */
void mem_load(struct vmsa_mem *m, const struct mem_snap *s);

void mem_snap_free(struct mem_snap *s);

#endif
