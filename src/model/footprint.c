/*
 * src/model/footprint.c - recording what a step touched (footprint.h),
 * and the dependency relation the explorer's reduction uses.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "footprint.h"
#include "machine.h"
#include "util/sort.h"

void fp_attach(vmsa_machine_t *m, struct footprint *fp)
{
	m->fp = fp;
}

#define FP_RECENT 64u	/* slots of footprint.recent (a power of 2) */

void fp_begin(vmsa_machine_t *m)
{
	struct footprint *fp = m->fp;

	if (!fp)
		return;
	/* No clearing needed: a slot whose index is past lines.n, or holds
	 * another item, does not match. */
	if (!fp->recent)
		fp->recent = calloc(FP_RECENT, sizeof(uint32_t));
	fp->flags = 0;
	fp->lines.n = 0;
	fp->oom = false;
	fp->muted = false;
	fp->dw_state = FP_DW_NONE;
	fp->n_ctx0 = m->n_ctx;
	fp->table_gen0 = m->table_gen;
	fp->snap_ok = false;
}

/* The end of the ascending run of p[0 .. n) that starts at i. */
static unsigned run_end(const uint64_t *p, unsigned n, unsigned i)
{
	while (++i < n && p[i - 1] <= p[i])
		;
	return i;
}

/* Merge the ascending runs of src[0 .. n) pairwise into dst; returns how
 * many runs dst has. */
static unsigned merge_runs(const uint64_t *src, uint64_t *dst, unsigned n)
{
	unsigned i = 0, k = 0, runs = 0;

	while (i < n) {
		unsigned m = run_end(src, n, i), e = m < n ? run_end(src, n, m) : n;
		unsigned a = i, b = m;

		while (a < m && b < e)
			dst[k++] = src[a] <= src[b] ? src[a++] : src[b++];
		while (a < m)
			dst[k++] = src[a++];
		while (b < e)
			dst[k++] = src[b++];
		i = e;
		runs++;
	}
	return runs;
}

/* Sort the items. When they come in a few ascending runs (a step that
 * records many lines in address order, as allocations once did), merge
 * the runs (in room past the end), else qsort. */
static void sort_items(struct footprint *fp)
{
	unsigned n = fp->lines.n, runs = 0;
	uint64_t *p, *q;

	if (n <= U64_SORT_SMALL) {
		u64_insertion_sort(fp->lines.p, n);
		return;
	}
	for (unsigned i = 0; i < n; i = run_end(fp->lines.p, n, i))
		runs++;
	if (runs <= 1)
		return;
	if (runs > 64 || n < 64 ||
	    fp_line_vec_reserve(&fp->lines, 2 * (size_t)n)) {
		qsort(fp->lines.p, n, sizeof(uint64_t), u64_cmp);
		return;
	}
	p = fp->lines.p;
	q = p + n;
	while (runs > 1) {
		uint64_t *t = p;

		runs = merge_runs(p, q, n);
		p = q;
		q = t;
	}
	if (p != fp->lines.p)
		memcpy(fp->lines.p, p, n * sizeof(uint64_t));
}

/* Sort the items and merge duplicates (a read and a write of one object
 * is a write). */
static void normalise(struct footprint *fp)
{
	unsigned k = 0;

	sort_items(fp);
	for (unsigned i = 0; i < fp->lines.n; i++) {
		uint64_t v = fp->lines.p[i];

		if (k && fp->lines.p[k - 1] >> 1 == v >> 1)
			fp->lines.p[k - 1] |= v & 1;
		else
			fp->lines.p[k++] = v;
	}
	fp->lines.n = k;
}

void fp_end(vmsa_machine_t *m)
{
	struct footprint *fp = m->fp;

	if (!fp)
		return;
	/* A new context: the list of contexts (FP_DESC_W). A change of
	 * table structure: the parts of the pages whose places in the
	 * cached contexts' tables changed (structure.c). */
	if (m->n_ctx != fp->n_ctx0)
		fp->flags |= FP_DESC_W;
	if (m->table_gen != fp->table_gen0)
		fp_struct_changed(m);
	if (fp->oom)
		fp->flags |= FP_ALL;
	/* A violation stopped the step part-way: what the rest of it would
	 * have read and written is not recorded (a descriptor store stopped
	 * by its break-before-make check leaves the change of table
	 * structure it makes unrecorded), so it is dependent with every
	 * event, as the pending events of the CPUs it stopped are. Only a
	 * search that goes on after violations (explore_outcomes: the
	 * differential tests) analyses such a step; vmsa check stops at the
	 * first. dpor_random_structure's seeds 10025 and 10060 lost a
	 * violation without this. */
	if (m->stopped)
		fp->flags |= FP_ALL;
	if (!fp->muted)
		normalise(fp);
}

/* fp_record() into fp itself (NULL: not recording). */
/* Append item to fp's list, remembering its place in slot h of the
 * recent ones. Out of line: the push needs registers that record_in()'s
 * common early returns do not. */
static __attribute__((noinline)) void record_push(struct footprint *fp,
						  uint64_t item, unsigned h)
{
	if (fp_line_vec_push(&fp->lines, item)) {
		fp->oom = true;
		return;
	}
	if (fp->recent)
		fp->recent[h] = fp->lines.n - 1;
}

static inline void record_in(struct footprint *fp, uint64_t item)
{
	unsigned h = 0;

	/* Repeated accesses to one object (a walk's reads of one table)
	 * are common: keep the list short. */
	if (!fp || fp->muted ||
	    (fp->lines.n && fp->lines.p[fp->lines.n - 1] == item))
		return;
	if (fp->recent) {
		uint32_t i;

		h = (unsigned)((item * 0x9e3779b97f4a7c15ull) >> 58);
		i = fp->recent[h];
		if (i < fp->lines.n && fp->lines.p[i] == item)
			return;
	}
	record_push(fp, item, h);
}

void fp_record(vmsa_machine_t *m, uint64_t item)
{
	record_in(m->fp, item);
}

void fp_data_write(vmsa_machine_t *m, uint64_t pa, unsigned size)
{
	struct footprint *fp = m->fp;
	uint64_t word = pa & ~7ull;

	/* The cheap tests first: most steps that write are already known
	 * not to be one word's change, and then the line's state and the
	 * old value are not looked up. */
	if (!fp || fp->dw_state == FP_DW_UNKNOWN)
		return;
	if (m->f.relaxed || ((pa + size - 1) & ~7ull) != word ||
	    (fp->dw_state == FP_DW_ONE && fp->dw_word != word) ||
	    cache_line_state(&m->cache, pa) == CACHE_LINE_STALE) {
		fp->dw_state = FP_DW_UNKNOWN;
		return;
	}
	/* A second write of the same word: the value before the step is
	 * the one before the first. */
	if (fp->dw_state == FP_DW_NONE) {
		fp->dw_state = FP_DW_ONE;
		fp->dw_word = word;
		fp->dw_old = mem_read(&m->mem, word, 8);
	}
}

void fp_data_add(struct footprint *fp, unsigned before, uint64_t pa,
		 unsigned size, uint64_t delta)
{
	if (!fp)
		return;
	if (before != FP_DW_NONE || size != 8 || (pa & 7) ||
	    fp->dw_state != FP_DW_ONE || fp->dw_word != pa) {
		fp->dw_state = FP_DW_UNKNOWN;
		return;
	}
	fp->dw_state = FP_DW_ADD;
	fp->dw_delta = delta;
}

/* The words of [pa, pa + size) read, with their pages' state. */
static void words_read(struct footprint *fp, uint64_t pa, unsigned size)
{
	for (uint64_t w = pa & ~7ull; w < pa + size; w += 8) {
		record_in(fp, FP_ITEM(w >> 6, 1 + ((w >> 3) & 7), false));
		record_in(fp, fp_page_item(w, false));
	}
}

/*
 * What a data read's outcome depends on (cache_read in cache.c): memory's
 * bytes, and the line's other copy only when it may stand for them: a
 * cacheable read returns the stale copy's bytes when the line is stale
 * (else memory's, in sync or dirty alike), a non-cacheable one the PoC's
 * when it is dirty (else memory's). So a cacheable read does not depend
 * on whether the line is dirty or clean, which is all a clean of it
 * changes (docs/explorer.md, "Data accesses and cache maintenance").
 * Under relaxed, the whole line as before.
 */
void fp_data_read(vmsa_machine_t *m, uint64_t pa, unsigned size,
		  bool cacheable)
{
	struct footprint *fp = m->fp;

	if (!fp_keeps(m))
		return;
	if (m->f.relaxed) {
		fp_mem(m, FP_ITEM(pa >> 6, 0, false), pa);
		return;
	}
	/* Naturally aligned (mem_check_access): one word, one line. */
	words_read(fp, pa, size);
	fp_cache_state(m, pa, cacheable ? FP_SUB_STALE : FP_SUB_POC, false);
}

void fp_cached_write(vmsa_machine_t *m, uint64_t pa)
{
	int st;

	if (!fp_keeps(m))
		return;
	st = cache_line_state(&m->cache, pa);
	if (st == CACHE_LINE_STALE) {
		fp_mem(m, FP_ITEM(pa >> 6, 0, true), pa);
		return;
	}
	fp_cache_state(m, pa, FP_SUB_STALE, false);
	fp_cache_state(m, pa, FP_SUB_POC, st == CACHE_LINE_IN_SYNC);
}

void fp_wait_check(struct footprint *fp, unsigned cpu, uint64_t pa)
{
	fp->flags = 0;
	fp->oom = false;
	fp->dw_state = FP_DW_NONE;
	fp->lines.n = 0;
	/* What the wait's read (a cacheable data read of 8 bytes) and so
	 * its check (data_peek) depend on: fp_data_read. */
	words_read(fp, pa, 8);
	record_in(fp, FP_ITEM(pa >> 6, FP_SUB_STALE, false));
	fp_page_state_in(fp, pa, false);
	record_in(fp, FP_ITEM(FP_OBJ_LINE + FP_OBJ_IRQ + cpu, 0, false));
	if (fp->oom)
		fp->flags |= FP_ALL;
	normalise(fp);
}

void fp_obj_all(vmsa_machine_t *m, unsigned first, bool write)
{
	if (!fp_keeps(m))
		return;
	for (unsigned c = 0; c < m->f.ncpus; c++)
		fp_obj(m, first + c, write);
}

void fp_window_word_all(vmsa_machine_t *m, uint64_t pa)
{
	if (!fp_keeps(m))
		return;
	for (unsigned c = 0; c < m->f.ncpus; c++)
		fp_record(m, FP_ITEM(FP_OBJ_LINE + FP_OBJ_WINDOW + c,
				     fp_window_part(pa), false));
}

#ifdef VMSA_FP_MUTANTS
bool fp_mutant_is(const char *name)
{
	static const char *mutant;
	static bool read;

	if (!read) {
		mutant = getenv("VMSA_FP_MUTANT");
		read = true;
	}
	return mutant && !strcmp(mutant, name);
}
#endif

/* Does the mutant leave out x's or y's kind? Compiled out without
 * VMSA_FP_MUTANTS: items_conflict() is on every dependency check. */
static bool mutant(uint64_t x, uint64_t y)
{
#ifdef VMSA_FP_MUTANTS
	static int kind = -2;

	if (kind == -2) {
		kind = -1;
		for (unsigned k = 0; k < FP_NKINDS; k++)
			if (fp_mutant_is(fp_kind_name(k)))
				kind = (int)k;
	}
	return kind >= 0 && (fp_item_kind(x) == (unsigned)kind ||
			     fp_item_kind(y) == (unsigned)kind);
#else
	(void)x;
	(void)y;
	return false;
#endif
}

/* Do two items of one line conflict: one of them a write, and the same
 * word, or one of them the whole line (two adds of one split commute:
 * fp_subs_conflict)? */
static bool items_conflict(uint64_t x, uint64_t y)
{
	if (mutant(x, y))
		return false;
	return ((x | y) & 1) &&
	       fp_subs_conflict(FP_ITEM_SUB(x), FP_ITEM_SUB(y));
}

bool fp_dependent(const struct footprint *a, const struct footprint *b)
{
	unsigned i = 0, j = 0;

	if ((a->flags | b->flags) & FP_ALL)
		return true;
	if (((a->flags & FP_DESC_W) && (b->flags & (FP_DESC_R | FP_DESC_W))) ||
	    ((b->flags & FP_DESC_W) && (a->flags & (FP_DESC_R | FP_DESC_W))))
		return true;
	/* Both lists are sorted, so grouped by line: one merge pass over
	 * the lines, every pair within a line both touch. */
	while (i < a->lines.n && j < b->lines.n) {
		uint64_t lx = FP_ITEM_LINE(a->lines.p[i]);
		uint64_t ly = FP_ITEM_LINE(b->lines.p[j]);

		if (lx == ly) {
			unsigned i2 = i, j2 = j;

			while (i2 < a->lines.n &&
			       FP_ITEM_LINE(a->lines.p[i2]) == lx)
				i2++;
			while (j2 < b->lines.n &&
			       FP_ITEM_LINE(b->lines.p[j2]) == lx)
				j2++;
			for (unsigned x = i; x < i2; x++)
				for (unsigned y = j; y < j2; y++)
					if (items_conflict(a->lines.p[x],
							   b->lines.p[y]))
						return true;
			i = i2;
			j = j2;
		} else if (lx < ly) {
			i++;
		} else {
			j++;
		}
	}
	return false;
}

/*
 * Merge b's items into a's, both sorted and unique (normalise): from the
 * back, so that no scratch space is needed, into the room past a's end,
 * then down to the start. Linear: a node's union grows by one event's
 * footprint for every execution that passes through it, and sorting
 * the whole list each time was a tenth of a reduced search's time.
 */
static void merge_into(struct footprint *a, const struct footprint *b)
{
	uint64_t *p = a->lines.p;
	size_t i = a->lines.n, j = b->lines.n, k = a->lines.n + b->lines.n;

	while (j > 0) {
		uint64_t y = b->lines.p[j - 1];

		if (i > 0 && p[i - 1] >> 1 > y >> 1) {
			p[--k] = p[--i];
		} else if (i > 0 && p[i - 1] >> 1 == y >> 1) {
			p[--k] = p[--i] | (y & 1); /* a read and a write:
						      a write */
			j--;
		} else {
			p[--k] = y;
			j--;
		}
	}
	/* a's items below every item of b are in place already; the merged
	 * rest starts at k, and k >= i. */
	if (k != i)
		memmove(p + i, p + k,
			(a->lines.n + b->lines.n - k) * sizeof(uint64_t));
	a->lines.n = (unsigned)(i + (a->lines.n + b->lines.n - k));
}

void fp_union(struct footprint *a, const struct footprint *b)
{
	a->flags |= b->flags;
	a->oom |= b->oom;
	if (!b->lines.n)
		return;
	if (fp_line_vec_reserve(&a->lines, (size_t)a->lines.n + b->lines.n)) {
		a->oom = true;
		a->flags |= FP_ALL;
		return;
	}
	merge_into(a, b);
}

void fp_copy(struct footprint *a, const struct footprint *b)
{
	a->flags = 0;
	a->oom = false;
	a->lines.n = 0;
	fp_union(a, b);
}

void fp_free(struct footprint *fp)
{
	fp_line_vec_free(&fp->lines);
	fp_tpage_vec_free(&fp->snap);
	free(fp->recent);
	fp->recent = NULL;
}

/*
 * The TLB objects (footprint.h, fp_tlb_*): a CPU's entries by the 4 KiB
 * unit of input addresses they can hit, and its contexts. Kept apart
 * from the rest of this file: only the TLB's own hooks use them.
 */

#define FP_TLB_UNIT 12	/* log2 of the unit an entry must lie within */

/* The part of unit ia >> FP_TLB_UNIT. Only bits [47:12] count, so that a
 * VA and its canonical or tagged (TBI) form, which lookups and entries
 * may use differently, fall in one part; VAs that differ only above bit
 * 47 then share a part, which is only more dependent. */
static unsigned tlb_bucket(uint64_t ia)
{
	uint64_t unit = (ia >> FP_TLB_UNIT) & ((1ull << 36) - 1);

	return 1u + (unsigned)(unit % FP_TLB_BUCKETS);
}

/* Does [first, first + span) lie within one unit? */
static bool tlb_one_unit(uint64_t first, uint64_t span)
{
	uint64_t last = first + (span ? span - 1 : 0);

	return span <= (1ull << FP_TLB_UNIT) && last >= first &&
	       (first >> FP_TLB_UNIT) == (last >> FP_TLB_UNIT);
}

static void tlb_item(vmsa_machine_t *m, unsigned obj, unsigned sub,
		     bool write)
{
	fp_record(m, FP_ITEM(FP_OBJ_LINE + obj, sub, write));
}

/* The part of obj (a TLB, or FP_OBJ_TLBIS) an entry with tag t and value
 * desc belongs to. A Contiguous entry may be cached for its whole range
 * (D8.7.1), and one made from a stage-2 value stands for every VA: both
 * are found by lookups of other units. */
static unsigned entry_part(const vmsa_tlb_tag_t *t, uint64_t desc,
			   bool any_va)
{
	bool small = !any_va && !(desc & VMSA_D_CONT) &&
		     tlb_one_unit(t->ia, t->size);

	return small ? tlb_bucket(t->ia) : FP_TLB_LARGE;
}

/* Every part of obj whose entries may overlap [first, first + span). */
static void lookup_parts(vmsa_machine_t *m, unsigned obj, uint64_t first,
			 uint64_t span, bool write)
{
	if (!tlb_one_unit(first, span)) {
		tlb_item(m, obj, 0, write);
		return;
	}
	/* An entry that can hit an address of this unit is either of this
	 * unit (its whole range is in it) or large. */
	tlb_item(m, obj, tlb_bucket(first), write);
	tlb_item(m, obj, FP_TLB_LARGE, write);
}

void fp_tlb_whole(vmsa_machine_t *m, unsigned cpu, bool write)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLB + cpu, 0, write);
}

void fp_tlb_entry(vmsa_machine_t *m, unsigned cpu, const vmsa_tlb_tag_t *t,
		  uint64_t desc, bool any_va, bool write)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLB + cpu, entry_part(t, desc, any_va),
			 write);
}

void fp_tlb_lookup(vmsa_machine_t *m, unsigned cpu, uint64_t first,
		   uint64_t span, bool write)
{
	if (fp_keeps(m))
		lookup_parts(m, FP_OBJ_TLB + cpu, first, span, write);
}

void fp_tlb_select(vmsa_machine_t *m, unsigned cpu, uint64_t first,
		   uint64_t span, bool whole)
{
	if (!fp_keeps(m))
		return;
	if (whole || !tlb_one_unit(first, span)) {
		tlb_item(m, FP_OBJ_TLB + cpu, fp_sub_del(0), false);
		return;
	}
	tlb_item(m, FP_OBJ_TLB + cpu, fp_sub_del(tlb_bucket(first)), false);
	tlb_item(m, FP_OBJ_TLB + cpu, fp_sub_del(FP_TLB_LARGE), false);
}

void fp_tlb_remove(vmsa_machine_t *m, unsigned cpu, const vmsa_tlb_tag_t *t,
		   uint64_t desc, bool any_va)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLB + cpu,
			 fp_sub_del(entry_part(t, desc, any_va)), true);
}

void fp_tlb_ctx(vmsa_machine_t *m, unsigned cpu, unsigned ctx, bool write)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLBCTX + cpu, 1u + ctx % 15u, write);
}

void fp_tlb_ctx_uncache(vmsa_machine_t *m, unsigned cpu, unsigned ctx,
			bool uncaches)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLBCTX + cpu, fp_sub_del(1u + ctx % 15u),
			 uncaches);
}

void fp_tlb_use(vmsa_machine_t *m, unsigned cpu, unsigned ctx, bool write)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLBUSE + cpu, 1u + ctx % 15u, write);
}

void fp_tlb_cache_ctx(vmsa_machine_t *m, unsigned cpu, unsigned ctx)
{
	bool other = false;

	if (!m->fp)
		return;
	/* Already cached: nothing changes, but that depends on it (a TLBI
	 * completion may uncache a context the CPU does not use). */
	if (cpu_caches_ctx(&m->cpu[cpu], ctx)) {
		fp_tlb_ctx(m, cpu, ctx, false);
		return;
	}
	fp_tlb_ctx(m, cpu, ctx, true);
	/* Where stores are descriptor stores: the contexts some CPU
	 * caches, which change when no other CPU caches ctx. */
	fp_obj(m, FP_OBJ_CACHED, false);
	for (unsigned k = 0; k < m->f.ncpus && !other; k++)
		other = k != cpu && cpu_caches_ctx(&m->cpu[k], ctx);
	if (!other) {
		fp_obj(m, FP_OBJ_CACHED, true);
		/* Its table pages become places of descriptors. */
		fp_struct_context(m, ctx);
	}
}

/* The part of FP_OBJ_CONT of the group of 2^lg descriptors holding the
 * one at pa (groups of different sizes hashed apart). */
static unsigned cont_part(uint64_t pa, unsigned lg)
{
	uint64_t key = (pa >> (3 + lg)) * 8 + lg;

	return 1u + (unsigned)((key * 0x9e3779b97f4a7c15ull >> 32) % 15u);
}

void fp_cont_group(vmsa_machine_t *m, uint64_t desc_pa, unsigned n)
{
	unsigned lg = 0;

	if (!fp_keeps(m))
		return;
	while ((1u << lg) < n)
		lg++;
	/* A size not in Table D8-104: the whole object. */
	if (n != 16 && n != 32 && n != 128) {
		tlb_item(m, FP_OBJ_CONT, 0, false);
		return;
	}
	tlb_item(m, FP_OBJ_CONT, cont_part(desc_pa, lg), false);
}

void fp_cont_slot(vmsa_machine_t *m, uint64_t pa, bool write)
{
	static const unsigned lgs[] = {4, 5, 7};	/* 16, 32, 128 */

	if (!fp_keeps(m))
		return;
	for (unsigned i = 0; i < sizeof(lgs) / sizeof(lgs[0]); i++)
		tlb_item(m, FP_OBJ_CONT, cont_part(pa, lgs[i]), write);
}

/*
 * The ordering model's TLBI records (footprint.h, fp_tlbis_*). A TLBI by
 * VA, VAA or IPA (not a range over more than one unit) matches only tags
 * whose input range holds its address (vmsa_tlbi_matches: addr_selected,
 * on the canonical VA, which has the unit's bits [47:12]): the tags of
 * that unit's part and the large ones. Any other TLBI may match every
 * tag: the whole object.
 */
void fp_tlbis_done(vmsa_machine_t *m, const vmsa_tlbi_t *t)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t->op.type);

	if (!fp_keeps(m))
		return;
	if (info && (info->scope == VMSA_TLBI_SCOPE_VA ||
		     info->scope == VMSA_TLBI_SCOPE_VAA ||
		     info->scope == VMSA_TLBI_SCOPE_IPAS2))
		lookup_parts(m, FP_OBJ_TLBIS, t->arg.addr,
			     info->range ? t->arg.size : 1, true);
	else
		tlb_item(m, FP_OBJ_TLBIS, 0, true);
}

void fp_tlbis_entry(vmsa_machine_t *m, const vmsa_tlb_tag_t *tag,
		    uint64_t desc)
{
	if (fp_keeps(m))
		tlb_item(m, FP_OBJ_TLBIS,
			 entry_part(tag, desc, tag->stage == VMSA_TLB_S12),
			 false);
}

/*
 * The page allocator (footprint.h, fp_page_*): apart from the rest for
 * the same reason as the TLB's parts. docs/explorer.md, "Allocation and
 * free", says why these cover what allocation and free change and who
 * reads it.
 */

void fp_page_state_in(struct footprint *fp, uint64_t pa, bool write)
{
	record_in(fp, fp_page_item(pa, write));
}

void fp_mem(vmsa_machine_t *m, uint64_t item, uint64_t pa)
{
	record_in(m->fp, item);
	record_in(m->fp, fp_page_item(pa, false));
}

void fp_alloc_all(const vmsa_machine_t *m)
{
	if (fp_keeps(m))
		record_in(m->fp, FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC, 0, false));
}

/* The state of pages [pa, pa + n pages), written: per 2 MiB region, the
 * region whole when they cover it, else the parts of their pages (each
 * part once). */
static void pages_written(struct footprint *fp, uint64_t pa, unsigned n)
{
	const uint64_t region = 1ull << FP_PAGE_REGION_SHIFT;
	uint64_t end = pa + (uint64_t)n * VMSA_PAGE_SIZE;

	while (pa < end) {
		uint64_t next = (pa | (region - 1)) + 1;
		uint64_t stop = next < end ? next : end;
		unsigned parts = 0;

		if (!(pa & (region - 1)) && stop == next) {
			record_in(fp, FP_ITEM(FP_OBJ_LINE + FP_OBJ_PAGE +
					      (pa >> FP_PAGE_REGION_SHIFT),
					      0, true));
		} else {
			for (uint64_t p = pa; p < stop; p += VMSA_PAGE_SIZE) {
				uint64_t it = fp_page_item(p, true);
				unsigned bit = 1u << FP_ITEM_SUB(it);

				if (!(parts & bit))
					record_in(fp, it);
				parts |= bit;
			}
		}
		pa = stop;
	}
}

void fp_pages_taken(vmsa_machine_t *m, uint64_t pa, unsigned n,
		    bool had_history)
{
	if (!m->fp)
		return;
	fp_mem_other(m->fp);	/* zeroed */
	/* Which pages the next allocation takes, how many are free. */
	record_in(m->fp, FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC, 0, true));
	/* Their state, and through it (fp_mem) every line and word of them:
	 * contents, cache state, histories. */
	pages_written(m->fp, pa, n);
	if (had_history)
		fp_obj_all(m, FP_OBJ_WINDOW, false);
}

void fp_pages_freed(vmsa_machine_t *m, uint64_t pa, unsigned n)
{
	unsigned parts = 0;

	if (!m->fp)
		return;
	fp_mem_other(m->fp);	/* freed: later reads report it */
	for (unsigned i = 0; i < n && i < FP_ALLOC_PARTS; i++) {
		uint64_t page = pa / VMSA_PAGE_SIZE + i;

		parts |= 1u << (1u + (unsigned)(page % FP_ALLOC_PARTS));
	}
	for (unsigned s = 1; s <= FP_ALLOC_PARTS; s++)
		if (parts >> s & 1)
			record_in(m->fp, FP_ITEM(FP_OBJ_LINE + FP_OBJ_ALLOC,
						 s, true));
	pages_written(m->fp, pa, n);
}
