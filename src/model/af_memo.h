/*
 * src/model/af_memo.h - remembered candidates of the speculative Access
 * flag scan (hwspec.c), per table page of a snapshot's memory. Private to
 * libvmsa.
 */
#ifndef VMSA_MODEL_AF_MEMO_H
#define VMSA_MODEL_AF_MEMO_H

#include <stdint.h>

#include "machine.h"

struct af_memo;

/* The candidates of one table: the indices, in increasing order, of its
 * entries that are Block or Page descriptors with AF = 0. */
struct af_cands {
	const uint16_t *k;
	unsigned n;
};

/* An empty memo, or NULL when out of memory. */
struct af_memo *af_memo_new(void);
void af_memo_free(struct af_memo *am);

/*
 * The candidates of table tp (granule g), which lies inside memory: true
 * with *out when the snapshot's memo knows or learns them now. False
 * (scan the table yourself) with no snapshot memo, when a memory page of
 * the table has changed since the snapshot was restored
 * (mem_page_unchanged), or out of memory. *out stays valid as long as
 * the snapshot.
 */
bool af_memo_cands(vmsa_machine_t *m, const struct tpage *tp,
		   vmsa_granule_t g, struct af_cands *out);

/*
 * The candidates of table tp (granule g), inside memory, whose pages
 * were written since the restore, into k (room for max), in increasing
 * order: true with *n when the snapshot's memo knows the table and
 * every change to its pages since the restore is a word in memory's
 * word log (mem_page_logged: the candidates are then the memo's and the
 * logged words', each tested in memory as it is now). False (scan the
 * table yourself) otherwise, or when there are more than max.
 */
bool af_memo_cands_logged(vmsa_machine_t *m, const struct tpage *tp,
			  vmsa_granule_t g, uint16_t *k, unsigned max,
			  unsigned *n);

/* How many tables it holds (for tests). */
unsigned af_memo_size(const struct af_memo *am);

/* Can descriptor v be a leaf with AF = 0? Valid (bit 0) and AF (bit 10)
 * clear; vmsa_desc_kind() tells table from leaf. */
static inline uint64_t af_maybe_leaf0(uint64_t v)
{
	return v & ~(v >> 10) & 1;
}

/* Is v, at level of a table of granule g, a Block or Page descriptor
 * with AF = 0: an entry whose Access flag the walker may set? One
 * place for the scan (hwspec.c) and the memo that remembers it. */
static inline bool af_candidate(uint64_t v, unsigned level,
				vmsa_granule_t g)
{
	vmsa_desc_kind_t kind;

	if (!af_maybe_leaf0(v))
		return false;
	kind = vmsa_desc_kind(v, level, g);
	return kind == VMSA_DESC_BLOCK || kind == VMSA_DESC_PAGE;
}

#endif
