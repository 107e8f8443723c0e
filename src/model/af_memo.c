/*
 * src/model/af_memo.c - remembered candidates of the speculative Access
 * flag scan.
 *
 * With hardware AF management, a CPU scans the table pages of the
 * context it uses at every exception entry and return for leaves with
 * AF = 0 (hwspec.c, spec_af_context). Which entries of a table are such
 * leaves is a function of the table's contents, its level and its
 * granule only. The explorer restores one snapshot before every
 * execution, so most tables hold the snapshot's contents every time:
 * their candidates are computed once per snapshot and kept in its memo
 * (context.c's scan_memo owns this one), keyed by the table's address,
 * level, granule and size. A table is looked up only while none of its
 * memory pages has changed since the restore (mem_page_unchanged: not
 * written since, and not exposed to host code that may write it
 * unseen). A changed table differs from the snapshot's only in the
 * words its stores wrote, which memory lists (its word log, mem.h):
 * its candidates are the memo's and those words', tested again
 * (af_memo_cands_logged). A table changed otherwise (a pointer into it
 * handed out, more stores than the log holds) is scanned in place
 * again (hwspec.c), every time.
 *
 * Worker processes of a parallel search (fork) each have their own copy
 * of the memo: nothing learnt in one is needed by another.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "af_memo.h"
#include "context.h"

/* One table's candidates. */
struct af_ent {
	uint64_t pa;
	int level;
	vmsa_granule_t g;
	unsigned entries;
	unsigned n;
	uint16_t *k;		/* n indices (a table has at most 8192) */
};

/* Open addressing, linear probing, at most half full. */
struct af_memo {
	struct af_ent *slot;	/* cap slots; pa == 0 and k == NULL: free */
	unsigned cap, used;
};

struct af_memo *af_memo_new(void)
{
	return calloc(1, sizeof(struct af_memo));
}

void af_memo_free(struct af_memo *am)
{
	if (!am)
		return;
	for (unsigned i = 0; i < am->cap; i++)
		free(am->slot[i].k);
	free(am->slot);
	free(am);
}

unsigned af_memo_size(const struct af_memo *am)
{
	return am->used;
}

static unsigned hash(uint64_t pa, unsigned cap)
{
	pa *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(pa >> 32) & (cap - 1);
}

/* Every slot holds a table; a free one has no index array and
 * entries == 0 (no table is empty). */
static bool is_free(const struct af_ent *e)
{
	return !e->entries;
}

static bool same_key(const struct af_ent *e, const struct tpage *tp,
		     vmsa_granule_t g)
{
	return e->pa == tp->pa && e->level == tp->level && e->g == g &&
	       e->entries == tp->entries;
}

static struct af_ent *find(struct af_memo *am, const struct tpage *tp,
			   vmsa_granule_t g)
{
	if (!am->cap)
		return NULL;
	for (unsigned i = hash(tp->pa, am->cap);; i = (i + 1) & (am->cap - 1)) {
		struct af_ent *e = &am->slot[i];

		if (is_free(e))
			return NULL;
		if (same_key(e, tp, g))
			return e;
	}
}

/* Place e (not present) in a table with room. */
static void place(struct af_memo *am, struct af_ent e)
{
	unsigned i = hash(e.pa, am->cap);

	while (!is_free(&am->slot[i]))
		i = (i + 1) & (am->cap - 1);
	am->slot[i] = e;
	am->used++;
}

/* Room for one more table: 0 or -ENOMEM. */
static int grow(struct af_memo *am)
{
	struct af_ent *old = am->slot;
	unsigned ocap = am->cap, cap = ocap ? 2 * ocap : 16;

	if (2 * (am->used + 1) <= ocap)
		return 0;
	if (cap < ocap)
		return -ENOMEM;
	am->slot = calloc(cap, sizeof(*am->slot));
	if (!am->slot) {
		am->slot = old;
		return -ENOMEM;
	}
	am->cap = cap;
	am->used = 0;
	for (unsigned i = 0; i < ocap; i++)
		if (!is_free(&old[i]))
			place(am, old[i]);
	free(old);
	return 0;
}

/* Are the memory pages of table tp as the last restore left them? */
static bool table_unchanged(const vmsa_machine_t *m, const struct tpage *tp)
{
	uint64_t end = tp->pa + 8ull * tp->entries;

	for (uint64_t p = tp->pa & ~(uint64_t)(MEM_PAGE_SIZE - 1); p < end;
	     p += MEM_PAGE_SIZE)
		if (!mem_page_unchanged(&m->mem, p))
			return false;
	return true;
}

/* The candidates of tp's contents in memory, as hwspec.c's scan picks
 * them: a valid entry with AF = 0 that vmsa_desc_kind() calls a Block
 * or Page descriptor. 0 or -ENOMEM. */
static int learn(const vmsa_machine_t *m, const struct tpage *tp,
		 vmsa_granule_t g, struct af_ent *e)
{
	const uint8_t *bytes = m->mem.bytes + (tp->pa - m->mem.base);
	unsigned n = 0;

	*e = (struct af_ent){.pa = tp->pa, .level = tp->level, .g = g,
			     .entries = tp->entries};
	for (unsigned k = 0; k < tp->entries; k++)
		n += (unsigned)af_maybe_leaf0(mem_load_le(bytes + 8ull * k, 8));
	e->k = malloc((n ? n : 1) * sizeof(*e->k));
	if (!e->k)
		return -ENOMEM;
	for (unsigned k = 0; k < tp->entries; k++)
		if (af_candidate(mem_load_le(bytes + 8ull * k, 8), tp->level,
				 g))
			e->k[e->n++] = (uint16_t)k;
	return 0;
}

bool af_memo_cands(vmsa_machine_t *m, const struct tpage *tp,
		   vmsa_granule_t g, struct af_cands *out)
{
	struct af_memo *am = m->scan_memo ? scan_memo_af(m->scan_memo) : NULL;
	struct af_ent *e, fresh = {0};

	if (!am || !tp->entries || tp->entries > 65536u ||
	    !table_unchanged(m, tp))
		return false;
	e = find(am, tp, g);
	if (!e) {
		if (grow(am) || learn(m, tp, g, &fresh)) {
			free(fresh.k);
			return false;
		}
		place(am, fresh);
		e = find(am, tp, g);
	}
	*out = (struct af_cands){.k = e->k, .n = e->n};
	return true;
}

/* The word indices of table tp that memory's word log lists, sorted,
 * each once, into w (room for MEM_WLOG_MAX); their number. */
static unsigned logged_words(const struct vmsa_mem *mem,
			     const struct tpage *tp, uint16_t *w)
{
	uint64_t end = tp->pa + 8ull * tp->entries;
	unsigned n = 0;

	for (uint32_t i = 0; i < mem->nwlog; i++) {
		uint64_t pa = mem->wlog[i];
		uint16_t j;
		unsigned at;

		if (pa < tp->pa || pa >= end)
			continue;
		j = (uint16_t)((pa - tp->pa) / 8);
		/* Insertion into the sorted list, repeats dropped. */
		for (at = n; at > 0 && w[at - 1] > j; at--)
			;
		if (at > 0 && w[at - 1] == j)
			continue;
		memmove(w + at + 1, w + at, (n - at) * sizeof(*w));
		w[at] = j;
		n++;
	}
	return n;
}

bool af_memo_cands_logged(vmsa_machine_t *m, const struct tpage *tp,
			  vmsa_granule_t g, uint16_t *k, unsigned max,
			  unsigned *n)
{
	struct af_memo *am = m->scan_memo ? scan_memo_af(m->scan_memo) : NULL;
	const uint8_t *bytes = m->mem.bytes + (tp->pa - m->mem.base);
	uint64_t end = tp->pa + 8ull * tp->entries;
	uint16_t w[MEM_WLOG_MAX];
	const struct af_ent *e;
	unsigned nw, i = 0, j = 0;

	if (!am || !tp->entries || tp->entries > 65536u)
		return false;
	for (uint64_t p = tp->pa & ~(uint64_t)(MEM_PAGE_SIZE - 1); p < end;
	     p += MEM_PAGE_SIZE)
		if (!mem_page_logged(&m->mem, p))
			return false;
	e = find(am, tp, g);
	if (!e)
		return false;
	nw = logged_words(&m->mem, tp, w);
	/* The union of the memo's indices and the logged ones, in order;
	 * each entry tested as memory holds it now. */
	*n = 0;
	while (i < e->n || j < nw) {
		uint16_t x;

		if (j == nw || (i < e->n && e->k[i] < w[j]))
			x = e->k[i++];
		else if (i == e->n || w[j] < e->k[i])
			x = w[j++];
		else {
			x = e->k[i++];
			j++;
		}
		if (!af_candidate(mem_load_le(bytes + 8ull * x, 8), tp->level,
				  g))
			continue;
		if (*n == max)
			return false;
		k[(*n)++] = x;
	}
	return true;
}
