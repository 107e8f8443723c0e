/*
 * src/model/cache.h - one coherent data cache shared by all CPUs, and the
 * Point of Coherency (PoC) behind it. Private to src/model/.
 *
 * Cacheable accesses (Normal, Inner and Outer Write-Back) go through the
 * cache; Non-cacheable, Device and MMU-off accesses go to the PoC. The
 * memory array of mem.c always holds the newest data written by anyone.
 * This module remembers, only for the 64-byte lines where the cache and
 * the PoC disagree, the other copy:
 *
 *   DIRTY  the cache holds data newer than the PoC (cacheable stores since
 *          the last clean); we keep the PoC's copy of the line.
 *   STALE  the PoC holds data newer than a clean cached copy (a
 *          non-cacheable store to a line that may be cached); we keep the
 *          stale cached copy.
 *
 * Every other line is in sync. A line mapped cacheable may be allocated
 * into the cache at any time, speculation included (D7.5.1), so a
 * non-cacheable store is assumed to leave a stale copy behind.
 *
 * Accesses report loss of coherency as an event; the machine turns an
 * event into a violation. Only bytes decide: an access whose own bytes
 * (for a write, the line's other bytes) agree in both copies reports
 * nothing, whatever the line's state.
 *
 * A line is 64 bytes, the model's CTR_EL0.DminLine = 4 (log2 of the
 * number of 4-byte words) and its Cache Write-back Granule: a write-back
 * writes the whole line.
 */
#ifndef VMSA_MODEL_CACHE_H
#define VMSA_MODEL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/mem.h"
#include "util/htab.h"
#include "util/vec.h"

#define CACHE_LINE_SHIFT 6
#define CACHE_LINE_SIZE (1u << CACHE_LINE_SHIFT)

/* What an access observed. CACHE_OK is 0; the others are losses of
 * coherency, each with a sentence from cache_event_text(). */
enum cache_event {
	CACHE_OK = 0,
	CACHE_STALE_READ,	/* cacheable read of stale cached bytes */
	CACHE_DIRTY_NC_READ,	/* non-cacheable read behind dirty bytes */
	CACHE_WRITE_TO_STALE,	/* cacheable write into a stale line */
	CACHE_NC_WRITE_TO_DIRTY, /* non-cacheable write under a dirty line */
};

/* Data cache maintenance by address to the PoC. */
enum cache_op {
	CACHE_CVAC,	/* DC CVAC: clean */
	CACHE_CIVAC,	/* DC CIVAC: clean and invalidate */
	CACHE_IVAC,	/* DC IVAC: invalidate, dirty data is discarded */
};

enum cache_line_state {
	CACHE_LINE_IN_SYNC = 0,
	CACHE_LINE_DIRTY,
	CACHE_LINE_STALE,
};

/* An out-of-sync line: an entry of the hash table. */
struct cache_line {
	uint64_t key;		/* first byte of the line */
	uint32_t gen;		/* the table's (util/htab.h) */
	uint8_t state;		/* CACHE_LINE_DIRTY or CACHE_LINE_STALE */
	uint8_t other[CACHE_LINE_SIZE]; /* PoC copy (DIRTY), cached (STALE) */
};

/* A multiplicative hash of the line number. */
static inline uint64_t cache_line_hash(uint64_t line)
{
	return (line >> CACHE_LINE_SHIFT) * 0x9e3779b97f4a7c15ull;
}

HTAB_DEFINE(cache_lines, struct cache_line, cache_line_hash)

/* Out-of-sync lines, in a hash table whose reset is O(1). */
VEC_DEFINE(line_log, uint64_t)

struct vmsa_cache {
	struct cache_lines lines;
	/* Since the last cache_restore() from snapshot `base` (0: none):
	 * the lines changed (added, removed or modified; repeats allowed),
	 * unless too many to list (log_full). Lets the next restore from
	 * the same snapshot undo only those. */
	uint64_t base;
	struct line_log log;
	bool log_full;
	/* A line has been stale since the last reset (copied and restored
	 * with the lines): while not, a cacheable read returns memory. The
	 * read rule's condition (order.c, dpor_read_redundant). */
	bool stale_seen;
};

/* Set up an empty cache: every line in sync. Returns 0 or -ENOMEM. */
int cache_init(struct vmsa_cache *c);

/* Make dst a copy of src (dst set up by cache_init or a copy). Returns 0
 * or -ENOMEM (dst unchanged). */
int cache_copy(struct vmsa_cache *dst, const struct vmsa_cache *src);

/* Make dst a copy of src, the cache of snapshot number id (never 0,
 * unique for the process's life): when dst was last restored from that
 * snapshot and every line changed since is logged, only those lines are
 * copied back or removed; otherwise the whole table is copied. Lines are
 * only ever looked up by address, so a table with the same lines in
 * other slots is the same cache. Returns 0 or -ENOMEM (dst must then be
 * reset). */
int cache_restore(struct vmsa_cache *dst, const struct vmsa_cache *src,
		  uint64_t id);

/* Free the table and clear c. Safe on a cleared struct. */
void cache_destroy(struct vmsa_cache *c);

/* Every line back in sync, in O(1) (the table keeps its size). Pair with
 * mem_reset(), which zeroes the memory. */
void cache_reset(struct vmsa_cache *c);

/* Read size (1, 2, 4 or 8) naturally aligned bytes at pa (inside m,
 * asserted) into *val, through the cache when cacheable, else at the
 * PoC. Returns CACHE_OK, CACHE_STALE_READ (*val holds the stale cached
 * bytes) or CACHE_DIRTY_NC_READ (*val holds the PoC's bytes); the line's
 * state does not change. */
int cache_read(const struct vmsa_cache *c, const struct vmsa_mem *m,
	       uint64_t pa, unsigned size, bool cacheable, uint64_t *val);

/* Write the low size (1, 2, 4 or 8) bytes of v at pa (naturally aligned,
 * inside m), through the cache when cacheable, else at the PoC. Memory
 * always receives v. Returns CACHE_OK, CACHE_WRITE_TO_STALE,
 * CACHE_NC_WRITE_TO_DIRTY, or -ENOMEM (nothing written) when a new
 * out-of-sync line cannot be recorded. */
int cache_write(struct vmsa_cache *c, struct vmsa_mem *m, uint64_t pa,
		unsigned size, bool cacheable, uint64_t v);

/* Apply op to the whole line containing pa. Returns the line's state
 * before the operation (enum cache_line_state); maintenance never loses
 * coherency by itself. DC IVAC on a dirty line puts the PoC copy back
 * into memory: the cached data is gone, as software asked. */
int cache_maint(struct vmsa_cache *c, struct vmsa_mem *m, enum cache_op op,
		uint64_t pa);

/* The pages [pa, pa + size) (page aligned, size a multiple of the page
 * size) were just zeroed in memory and at the PoC (page allocation):
 * their lines are in sync. */
void cache_page_zeroed(struct vmsa_cache *c, uint64_t pa, uint64_t size);

/* State of the line containing pa (enum cache_line_state). */
int cache_line_state(const struct vmsa_cache *c, uint64_t pa);

/* Number of out-of-sync lines. */
size_t cache_lines_out_of_sync(const struct vmsa_cache *c);

/* One sentence for a violation message about ev; never NULL. */
const char *cache_event_text(enum cache_event ev);

#endif
