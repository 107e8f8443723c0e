/*
 * src/model/cache.c - the coherent data cache and the PoC (cache.h).
 *
 * Memory holds the newest data; a table entry holds the other copy of an
 * out-of-sync line. Which copy an access sees, and whether it loses
 * coherency, follows from the line's state and the bytes involved:
 *
 *                 cacheable         non-cacheable (PoC)
 *   read  DIRTY   memory            PoC copy: loss if its bytes differ
 *         STALE   stale copy: loss  memory
 *                 if bytes differ
 *   write in sync -> DIRTY          -> STALE (unless nothing changes)
 *         DIRTY   memory            loss if the cached bytes differ from
 *                                   v (the write-back would undo it)
 *         STALE   loss if other     memory
 *                 bytes differ;
 *                 -> DIRTY
 *
 * After a loss is reported the line keeps following program order
 * (memory gets the newest data), so one mistake is reported once and
 * does not cascade into reports about bytes nobody got wrong.
 *
 * Clean and invalidate follow D7.5.8.1.2 ("Terminology for Clean,
 * Invalidate, and Clean and Invalidate instructions"): a clean makes
 * the cache's updates visible at the PoC; an invalidate makes the PoC's
 * data visible to the cache and may lose updates not yet cleaned.
 */
#include "model/cache.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_SLOTS 64u

/* ----------------------------------------------------------------------
 * The table
 * -------------------------------------------------------------------- */

static uint64_t line_of(uint64_t pa)
{
	return pa & ~(uint64_t)(CACHE_LINE_SIZE - 1);
}

int cache_init(struct vmsa_cache *c)
{
	memset(c, 0, sizeof(*c));
	return cache_lines_init(&c->lines, INITIAL_SLOTS);
}

void cache_destroy(struct vmsa_cache *c)
{
	cache_lines_destroy(&c->lines);
	line_log_free(&c->log);
	c->base = 0;
	c->log_full = false;
}

void cache_reset(struct vmsa_cache *c)
{
	cache_lines_reset(&c->lines);
	c->base = 0;
	c->log.n = 0;
	c->log_full = false;
	c->stale_seen = false;
}

/* Past this many logged changes a restore copies the whole table. */
#define LOG_MAX 4096u

/* Line `line` is about to change: log it for cache_restore(). */
static void note(struct vmsa_cache *c, uint64_t line)
{
	if (!c->base || c->log_full)
		return;
	if (c->log.n >= LOG_MAX || line_log_push(&c->log, line))
		c->log_full = true;
}

/* The entry for line, or NULL when the line is in sync. */
static struct cache_line *find(const struct vmsa_cache *c, uint64_t line)
{
	return cache_lines_find(&c->lines, line);
}

/* A new entry for line (not in the table) in the given state with its
 * other copy taken from src. Returns NULL when the table cannot grow. */
static struct cache_line *add(struct vmsa_cache *c, uint64_t line,
			      enum cache_line_state st, const uint8_t *src)
{
	struct cache_line *s;

	note(c, line);
	s = cache_lines_insert(&c->lines, line);
	if (!s)
		return NULL;
	s->state = (uint8_t)st;
	memcpy(s->other, src, CACHE_LINE_SIZE);
	if (st == CACHE_LINE_STALE)
		c->stale_seen = true;
	return s;
}

/* Remove entry s: the line is in sync again. */
static void drop(struct vmsa_cache *c, struct cache_line *s)
{
	note(c, s->key);
	cache_lines_remove(&c->lines, s);
}

/* ----------------------------------------------------------------------
 * Accesses
 * -------------------------------------------------------------------- */

/* Whether a and b differ anywhere in the line outside [off, off + n). */
static bool differ_outside(const uint8_t *a, const uint8_t *b, unsigned off,
			   unsigned n)
{
	return memcmp(a, b, off) != 0 ||
	       memcmp(a + off + n, b + off + n, CACHE_LINE_SIZE - off - n) != 0;
}

int cache_read(const struct vmsa_cache *c, const struct vmsa_mem *m,
	       uint64_t pa, unsigned size, bool cacheable, uint64_t *val)
{
	uint64_t line = line_of(pa);
	unsigned off = (unsigned)(pa - line);
	const struct cache_line *s;
	const uint8_t *cur;
	int ev;

	mem_check_access(m, pa, size);
	cur = (const uint8_t *)mem_cptr(m, pa) - off;
	*val = mem_load_le(cur + off, size);
	s = find(c, line);
	if (!s)
		return CACHE_OK;
	if (cacheable && s->state == CACHE_LINE_STALE)
		ev = CACHE_STALE_READ;
	else if (!cacheable && s->state == CACHE_LINE_DIRTY)
		ev = CACHE_DIRTY_NC_READ;
	else
		return CACHE_OK;
	/* Only the bytes read matter: the rest of the line may differ. */
	if (memcmp(s->other + off, cur + off, size) == 0)
		return CACHE_OK;
	*val = mem_load_le(s->other + off, size);
	return ev;
}

/* Cacheable write of v: the cache gets v, the PoC keeps its copy. */
static int write_cacheable(struct vmsa_cache *c, struct cache_line *s,
			   uint64_t line, unsigned off, unsigned size,
			   uint8_t *cur, uint64_t v)
{
	int ev = CACHE_OK;

	if (!s) {
		if (!add(c, line, CACHE_LINE_DIRTY, cur))
			return -ENOMEM;
	} else if (s->state == CACHE_LINE_STALE) {
		/* The stale line with v merged in will be written back
		 * over the PoC's newer bytes; only bytes v does not cover
		 * can be lost. Then track the line as dirty against the
		 * PoC, which memory holds until this write. */
		if (differ_outside(s->other, cur, off, size))
			ev = CACHE_WRITE_TO_STALE;
		note(c, line);
		memcpy(s->other, cur, CACHE_LINE_SIZE);
		s->state = CACHE_LINE_DIRTY;
	}
	mem_store_le(cur + off, size, v);
	return ev;
}

/* Non-cacheable write of v: the PoC gets v, a cached copy keeps its. */
static int write_nc(struct vmsa_cache *c, struct cache_line *s,
		    uint64_t line, unsigned off, unsigned size, uint8_t *cur,
		    uint64_t v)
{
	uint8_t b[8];
	int ev = CACHE_OK;

	mem_store_le(b, size, v);
	if (!s) {
		/* A write that changes nothing leaves the line in sync. */
		if (memcmp(cur + off, b, size) == 0)
			return CACHE_OK;
		if (!add(c, line, CACHE_LINE_STALE, cur))
			return -ENOMEM;
	} else if (s->state == CACHE_LINE_DIRTY) {
		/* The dirty line's write-back covers the whole line and
		 * would put the cached bytes back over v. */
		if (memcmp(cur + off, b, size) != 0)
			ev = CACHE_NC_WRITE_TO_DIRTY;
		note(c, line);
		memcpy(s->other + off, b, size);
	}
	memcpy(cur + off, b, size);
	return ev;
}

int cache_write(struct vmsa_cache *c, struct vmsa_mem *m, uint64_t pa,
		unsigned size, bool cacheable, uint64_t v)
{
	uint64_t line = line_of(pa);
	unsigned off = (unsigned)(pa - line);
	struct cache_line *s;
	uint8_t *cur;

	cur = (uint8_t *)mem_store_ptr(m, pa, size) - off;
	s = find(c, line);
	if (cacheable)
		return write_cacheable(c, s, line, off, size, cur, v);
	return write_nc(c, s, line, off, size, cur, v);
}

/* ----------------------------------------------------------------------
 * Maintenance
 * -------------------------------------------------------------------- */

int cache_maint(struct vmsa_cache *c, struct vmsa_mem *m, enum cache_op op,
		uint64_t pa)
{
	uint64_t line = line_of(pa);
	struct cache_line *s = find(c, line);
	int prev;

	if (!s)
		return CACHE_LINE_IN_SYNC;
	prev = s->state;
	switch (op) {
	case CACHE_CVAC:
		/* Cleaning a stale (clean) line writes nothing back, and the
		 * stale copy stays cached. */
		if (prev == CACHE_LINE_STALE)
			return prev;
		break;
	case CACHE_CIVAC:
		break;
	case CACHE_IVAC:
		/* The dirty data is discarded: memory falls back to the PoC. */
		if (prev == CACHE_LINE_DIRTY) {
			assert(mem_contains(m, line, CACHE_LINE_SIZE));
			memcpy(mem_ptr(m, line), s->other, CACHE_LINE_SIZE);
		}
		break;
	}
	drop(c, s);
	return prev;
}

void cache_page_zeroed(struct vmsa_cache *c, uint64_t pa, uint64_t size)
{
	assert(pa % MEM_PAGE_SIZE == 0 && size % MEM_PAGE_SIZE == 0);
	if (c->lines.mask + 1ull >= size / CACHE_LINE_SIZE) {
		for (uint64_t l = pa; c->lines.count && l < pa + size;
		     l += CACHE_LINE_SIZE) {
			struct cache_line *s = find(c, l);

			if (s)
				drop(c, s);
		}
		return;
	}
	/* Fewer slots than lines in the range (a 2 MiB block: 32,768): find
	 * the range's entries among the slots instead, from the start again
	 * after each removal (a removal may move other entries). */
	for (;;) {
		struct cache_line *hit = NULL;

		for (uint32_t i = 0; i <= c->lines.mask && !hit; i++)
			if (cache_lines_used(&c->lines, &c->lines.slot[i]) &&
			    c->lines.slot[i].key - pa < size)
				hit = &c->lines.slot[i];
		if (!hit)
			return;
		drop(c, hit);
	}
}

int cache_line_state(const struct vmsa_cache *c, uint64_t pa)
{
	const struct cache_line *s = find(c, line_of(pa));

	return s ? s->state : CACHE_LINE_IN_SYNC;
}

size_t cache_lines_out_of_sync(const struct vmsa_cache *c)
{
	return c->lines.count;
}

const char *cache_event_text(enum cache_event ev)
{
	switch (ev) {
	case CACHE_OK:
		return "no loss of coherency";
	case CACHE_STALE_READ:
		return "a cacheable read returned a stale cached copy of data "
		       "that a non-cacheable write had updated at the Point of "
		       "Coherency (invalidate the line, DC IVAC or DC CIVAC, "
		       "before reading it through a cacheable mapping)";
	case CACHE_DIRTY_NC_READ:
		return "a non-cacheable or MMU-off read returned old data from "
		       "the Point of Coherency while newer data was still dirty "
		       "in the cache (clean the line to PoC with DC CVAC or "
		       "DC CIVAC before it is read non-cacheable)";
	case CACHE_WRITE_TO_STALE:
		return "a cacheable write hit a stale cached copy of a line that "
		       "a non-cacheable write had updated; the line's write-back "
		       "will overwrite the newer data at the Point of Coherency "
		       "(invalidate the line before writing it cacheable)";
	case CACHE_NC_WRITE_TO_DIRTY:
		return "a non-cacheable or MMU-off write went to the Point of "
		       "Coherency under a line that is dirty in the cache; the "
		       "line's write-back will overwrite it (clean the line "
		       "before writing it non-cacheable)";
	}
	return "unknown cache event";
}

int cache_copy(struct vmsa_cache *dst, const struct vmsa_cache *src)
{
	int err = cache_lines_copy(&dst->lines, &src->lines);

	/* A copy is no restore: what the log says is relative to nothing. */
	if (!err) {
		dst->stale_seen = src->stale_seen;
		dst->base = 0;
		dst->log.n = 0;
		dst->log_full = false;
	}
	return err;
}

/*
 * The explorer restores the same snapshot before every execution, and an
 * execution changes few lines of a cache whose table may hold thousands
 * (a set-up that wrote its tables and data cacheable): copying every
 * slot was a quarter of a search. Each line changed since the last
 * restore is in the log, so after undoing those, every line is as the
 * snapshot has it.
 */
int cache_restore(struct vmsa_cache *dst, const struct vmsa_cache *src,
		  uint64_t id)
{
	if (dst->base != id || dst->log_full) {
		if (cache_lines_copy(&dst->lines, &src->lines))
			goto fail;
	} else {
		for (unsigned i = 0; i < dst->log.n; i++) {
			uint64_t line = dst->log.p[i];
			const struct cache_line *o = find(src, line);
			struct cache_line *d = find(dst, line);

			if (!o) {
				if (d)
					cache_lines_remove(&dst->lines, d);
				continue;
			}
			if (!d)
				d = cache_lines_insert(&dst->lines, line);
			if (!d)
				goto fail;
			d->state = o->state;
			memcpy(d->other, o->other, CACHE_LINE_SIZE);
		}
	}
	dst->base = id;
	dst->log.n = 0;
	dst->log_full = false;
	dst->stale_seen = src->stale_seen;
	return 0;
fail:
	dst->base = 0;
	return -ENOMEM;
}
