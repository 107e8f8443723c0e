/*
 * src/model/context.c - translation contexts and where their descriptors
 * are.
 *
 * A context is what a CPU's registers select for the regime it runs in.
 * The model needs, for a store to a physical address, every place that
 * address is a descriptor of a context some CPU may have cached: those are
 * the writes that TLBs care about. The table pages of a context are found
 * by scanning its tables from the roots (stage-1 table addresses through
 * stage 2), and kept until the table structure of the machine changes
 * (m->table_gen).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "af_memo.h"
#include "context.h"

/* The fields that identify a context, in a zeroed copy so that two
 * contexts compare with memcmp. */
static vmsa_regime_cfg_t ctx_key(const vmsa_regime_cfg_t *cfg)
{
	vmsa_regime_cfg_t k;

	memset(&k, 0, sizeof(k));
	k.regime = cfg->regime;
	k.pa_bits = cfg->pa_bits;
	k.s1 = cfg->s1;
	if (cfg->regime == VMSA_REGIME_EL10)
		k.s2 = cfg->s2;
	return k;
}

int ctx_lookup(vmsa_machine_t *m, const vmsa_regime_cfg_t *cfg)
{
	vmsa_regime_cfg_t k = ctx_key(cfg);

	struct context *c;

	for (unsigned i = 0; i < m->n_ctx; i++)
		if (!memcmp(&m->ctx.p[i].cfg, &k, sizeof(k)))
			return (int)i;
	/* Reuse a context (and its page list) of an earlier execution. */
	if (m->n_ctx == m->ctx.n &&
	    context_vec_push(&m->ctx, (struct context){.pages_gen = 0}))
		return -ENOMEM;
	c = &m->ctx.p[m->n_ctx];
	c->cfg = k;
	c->pages.n = 0;
	c->pages_gen = 0;
	return (int)m->n_ctx++;
}

/* During a scan (ctx_refresh), note the memory pages [pa, pa + len)
 * lies in: the scan's result is a function of the context and of those
 * pages' contents alone. */
static void note_read(vmsa_machine_t *m, uint64_t pa, uint64_t len)
{
	struct pa_vec *v = &m->scan_pages;

	if (!m->scan_recording)
		return;
	for (uint64_t pg = pa >> MEM_PAGE_SHIFT;
	     pg <= (pa + len - 1) >> MEM_PAGE_SHIFT; pg++) {
		if (v->n && v->p[v->n - 1] == pg)
			continue;
		if (pa_vec_push(v, pg))
			m->scan_recording = false; /* cannot remember it */
	}
}

/* Read callback for the scan's stage-2 translations: memory as it is. */
static int read_now(void *arg, const vmsa_walk_read_t *r, uint64_t *value)
{
	vmsa_machine_t *m = arg;

	if (!mem_contains(&m->mem, r->pa, 8))
		return -1;
	note_read(m, r->pa, 8);
	*value = mem_read(&m->mem, r->pa, 8);
	return 0;
}

/* The PA of a stage-1 table at IPA `ipa`, or false when stage 2 does not
 * map it (the table is then unreachable). */
static bool table_pa(vmsa_machine_t *m, const vmsa_regime_cfg_t *cfg,
		     uint64_t ipa, uint64_t *pa)
{
	vmsa_access_t acc = {.addr = ipa, .kind = VMSA_ACC_READ, .el = 1};
	vmsa_walk_t w;

	if (cfg->regime != VMSA_REGIME_EL10 || !cfg->s2.enabled) {
		*pa = ipa;
		return true;
	}
	if (!vmsa_walk_stage(&cfg->s2, read_now, m, &acc, &w))
		return false;
	*pa = w.pa;
	return true;
}

static int add_page(struct context *c, const struct tpage *tp)
{
	return tpage_vec_push(&c->pages, *tp);
}

/* Entries of a table at `level` (the start level may be concatenated and
 * may resolve fewer bits). */
static unsigned table_entries(const vmsa_tt_cfg_t *tt, int level)
{
	unsigned shift = vmsa_level_shift(tt->granule, level);
	unsigned stride = vmsa_granule_stride(tt->granule);

	if (level == tt->start_level && tt->ia_bits - shift < stride)
		return 1u << (tt->ia_bits - shift);
	return 1u << stride;
}

struct scan {
	vmsa_machine_t *m;
	struct context *c;
	const vmsa_tt_cfg_t *tt;
	vmsa_stage_t stage;
	unsigned tt_index;
};

/* Record the table at pa and every table below it. */
static int scan_table(struct scan *s, uint64_t pa, int level, uint64_t ia_base,
		      unsigned entries)
{
	const vmsa_tt_cfg_t *tt = s->tt;
	uint64_t size = vmsa_level_size(tt->granule, level);
	struct tpage tp = {
		.pa = pa, .ia_base = ia_base, .stage = s->stage, .level = level,
		.tt = s->tt_index, .entries = entries,
	};
	int err;

	if (!mem_contains(&s->m->mem, pa, entries * 8u))
		return 0; /* a walk there is an external abort, not a table */
	err = add_page(s->c, &tp);
	if (err || level >= VMSA_LEVEL_MAX)
		return err;
	/* Only tables above the last level are read (the leaves' page is
	 * recorded, not read): stores of leaves leave a remembered scan
	 * valid. */
	note_read(s->m, pa, entries * 8u);
	const uint64_t *table = mem_cptr(&s->m->mem, pa);

	for (unsigned i = 0; i < entries; i++) {
		uint64_t d = table[i], next;

		/* Only table descriptors (bits [1:0] = 0b11) lead further. */
		if ((d & 3) != 3 ||
		    vmsa_desc_kind(d, level, tt->granule) != VMSA_DESC_TABLE)
			continue;
		next = vmsa_desc_oa(d, level, tt->granule);
		if (s->stage == VMSA_STAGE1 &&
		    !table_pa(s->m, &s->c->cfg, next, &next))
			continue;
		err = scan_table(s, next, level + 1, ia_base + i * size,
				 1u << vmsa_granule_stride(tt->granule));
		if (err)
			return err;
	}
	return 0;
}

/* Does a table descriptor of the stage-1 table page tp of context c lead
 * to an IPA in [lo, hi)? */
static bool s1_page_leads_into(const vmsa_machine_t *m,
			       const struct context *c, const struct tpage *tp,
			       uint64_t lo, uint64_t hi)
{
	vmsa_granule_t g = c->cfg.s1.tt[tp->tt].granule;
	const uint64_t *table;

	if (tp->level >= VMSA_LEVEL_MAX)
		return false;	/* leaves only */
	table = mem_cptr(&m->mem, tp->pa);
	for (unsigned i = 0; i < tp->entries; i++) {
		uint64_t d = table[i], next;

		if ((d & 3) != 3 ||
		    vmsa_desc_kind(d, tp->level, g) != VMSA_DESC_TABLE)
			continue;
		next = vmsa_desc_oa(d, tp->level, g);
		if (next >= lo && next < hi)
			return true;
	}
	return false;
}

/* Does context c (stage 1 under stage 2, scanned) place a stage-1 table
 * at an IPA in [lo, hi)? */
static bool s1_places_into(const vmsa_machine_t *m, const struct context *c,
			   uint64_t lo, uint64_t hi)
{
	const vmsa_regime_cfg_t *cfg = &c->cfg;

	for (unsigned t = 0; t < (cfg->s1.two_ranges ? 2u : 1u); t++) {
		const vmsa_tt_cfg_t *tt = &cfg->s1.tt[t];
		uint64_t first = tt->root, last;

		if (tt->epd || !tt->concat)
			continue;
		/* The root tables, concatenated. */
		last = first + (uint64_t)tt->concat *
			       table_entries(tt, tt->start_level) * 8u - 1;
		if (first < hi && last >= lo)
			return true;
	}
	for (unsigned p = 0; p < c->pages.n; p++)
		if (c->pages.p[p].stage == VMSA_STAGE1 &&
		    s1_page_leads_into(m, c, &c->pages.p[p], lo, hi))
			return true;
	return false;
}

bool ctx_s2_range_places_s1(vmsa_machine_t *m, unsigned ctx, uint64_t lo,
			    uint64_t hi)
{
	uint64_t vttbr = m->ctx.p[ctx].cfg.s2.tt[0].root;

	for (unsigned i = 0; i < m->n_ctx; i++) {
		const vmsa_regime_cfg_t *cfg = &m->ctx.p[i].cfg;

		if (cfg->regime != VMSA_REGIME_EL10 || !cfg->s2.enabled ||
		    !cfg->s1.enabled || cfg->s2.tt[0].root != vttbr)
			continue;
		if (ctx_refresh(m, i) || s1_places_into(m, &m->ctx.p[i], lo, hi))
			return true;
	}
	return false;
}

/* Scan one translation table (a TTBR or VTTBR) from its root. */
static int scan_tt(struct scan *s, uint64_t ia_base)
{
	const vmsa_tt_cfg_t *tt = s->tt;
	unsigned entries = table_entries(tt, tt->start_level);
	uint64_t root = tt->root, span;
	int err;

	if (tt->epd || !tt->concat)
		return 0;
	span = entries * vmsa_level_size(tt->granule, tt->start_level);
	for (unsigned i = 0; i < tt->concat; i++) {
		uint64_t pa;

		if (s->stage == VMSA_STAGE1) {
			if (!table_pa(s->m, &s->c->cfg, root, &pa))
				continue;
		} else {
			pa = root;
		}
		err = scan_table(s, pa, tt->start_level, ia_base + i * span,
				 entries);
		if (err)
			return err;
		root += (uint64_t)entries * 8u;
	}
	return 0;
}

/*
 * Remembered scans. The explorer restores one snapshot before every
 * execution, and each execution scans the same contexts in the same
 * memory again (after the restore, and after every structural store).
 * A scan reads only the table pages it finds (and, for stage 1 under
 * stage 2, the stage-2 tables that place them), and its result is a
 * function of the context and of those pages' contents. So a scan made
 * while none of the pages it read had changed since the snapshot was
 * restored is the snapshot's scan, and it is valid again whenever none
 * of those pages has changed since the last restore: each step is
 * decided by the contents of pages that are the snapshot's. Pages are
 * checked with mem_page_unchanged() (written since the restore, or
 * exposed to host code that may write them unseen, counts as changed).
 */
struct scan_entry {
	vmsa_regime_cfg_t cfg;		/* the context (ctx_key) */
	struct tpage_vec pages;		/* its table pages */
	struct pa_vec read;		/* the memory pages the scan read */
};

VEC_DEFINE(scan_entry_vec, struct scan_entry)

/* A remembered answer (snap_answer_get). */
struct snap_answer {
	unsigned n;
	uint64_t key[SNAP_ANSWER_WORDS];
	bool yes;
};

VEC_DEFINE(snap_answer_vec, struct snap_answer)

/* At most this many answers per snapshot: looked up one by one. */
#define SNAP_ANSWERS_MAX 64u

struct scan_memo {
	struct scan_entry_vec e;
	struct snap_answer_vec answers;
	struct af_memo *af;		/* af_memo.c, made when first used */
};

struct scan_memo *scan_memo_new(void)
{
	return calloc(1, sizeof(struct scan_memo));
}

void scan_memo_free(struct scan_memo *sm)
{
	if (!sm)
		return;
	for (unsigned i = 0; i < sm->e.n; i++) {
		tpage_vec_free(&sm->e.p[i].pages);
		pa_vec_free(&sm->e.p[i].read);
	}
	scan_entry_vec_free(&sm->e);
	snap_answer_vec_free(&sm->answers);
	af_memo_free(sm->af);
	free(sm);
}

struct af_memo *scan_memo_af(struct scan_memo *sm)
{
	if (!sm->af)
		sm->af = af_memo_new();
	return sm->af;
}

unsigned scan_memo_size(const struct scan_memo *sm)
{
	return sm->e.n;
}

static bool pages_unchanged(const vmsa_machine_t *m, const struct pa_vec *v)
{
	for (unsigned i = 0; i < v->n; i++)
		if (!mem_page_unchanged(&m->mem, v->p[i] << MEM_PAGE_SHIFT))
			return false;
	return true;
}

/* Are the pages of [pa, pa + len) inside memory and as restored? */
static bool range_unchanged(const vmsa_machine_t *m, uint64_t pa,
			    uint64_t len)
{
	if (!len || !mem_contains(&m->mem, pa, len))
		return false;
	for (uint64_t p = pa & ~(uint64_t)(MEM_PAGE_SIZE - 1); p < pa + len;
	     p += MEM_PAGE_SIZE)
		if (!mem_page_unchanged(&m->mem, p))
			return false;
	return true;
}

bool snap_answer_get(vmsa_machine_t *m, const uint64_t *key, unsigned n,
		     uint64_t pa, uint64_t len, bool *yes)
{
	const struct snap_answer_vec *v;

	if (!m->scan_memo || n > SNAP_ANSWER_WORDS ||
	    !range_unchanged(m, pa, len))
		return false;
	v = &m->scan_memo->answers;
	for (unsigned i = 0; i < v->n; i++)
		if (v->p[i].n == n &&
		    !memcmp(v->p[i].key, key, n * sizeof(*key))) {
			*yes = v->p[i].yes;
			return true;
		}
	return false;
}

void snap_answer_put(vmsa_machine_t *m, const uint64_t *key, unsigned n,
		     uint64_t pa, uint64_t len, bool yes)
{
	struct snap_answer a = {.n = n, .yes = yes};

	if (!m->scan_memo || n > SNAP_ANSWER_WORDS ||
	    m->scan_memo->answers.n >= SNAP_ANSWERS_MAX ||
	    !range_unchanged(m, pa, len))
		return;
	memcpy(a.key, key, n * sizeof(*key));
	/* Out of memory only means not remembering. */
	(void)snap_answer_vec_push(&m->scan_memo->answers, a);
}

static struct scan_entry *memo_find(struct scan_memo *sm,
				    const vmsa_regime_cfg_t *cfg)
{
	for (unsigned i = 0; i < sm->e.n; i++)
		if (!memcmp(&sm->e.p[i].cfg, cfg, sizeof(*cfg)))
			return &sm->e.p[i];
	return NULL;
}

/* Remember context c's fresh scan when it read only unchanged pages.
 * Out of memory only means not remembering. */
static void memo_add(vmsa_machine_t *m, const struct context *c)
{
	struct scan_entry e = {.cfg = c->cfg};

	if (!m->scan_recording || !pages_unchanged(m, &m->scan_pages) ||
	    tpage_vec_reserve(&e.pages, c->pages.n ? c->pages.n : 1) ||
	    pa_vec_reserve(&e.read, m->scan_pages.n ? m->scan_pages.n : 1))
		goto drop;
	/* (memcpy with a NULL source is undefined even for 0 bytes.) */
	if (c->pages.n)
		memcpy(e.pages.p, c->pages.p,
		       c->pages.n * sizeof(*c->pages.p));
	e.pages.n = c->pages.n;
	if (m->scan_pages.n)
		memcpy(e.read.p, m->scan_pages.p,
		       m->scan_pages.n * sizeof(*m->scan_pages.p));
	e.read.n = m->scan_pages.n;
	if (!scan_entry_vec_push(&m->scan_memo->e, e))
		return;
drop:
	tpage_vec_free(&e.pages);
	pa_vec_free(&e.read);
}

int ctx_refresh(vmsa_machine_t *m, unsigned i)
{
	struct context *c = &m->ctx.p[i];
	const vmsa_regime_cfg_t *cfg = &c->cfg;
	struct scan s = {.m = m, .c = c};
	struct scan_entry *memo = NULL;
	int err = 0;

	if (c->pages_gen == m->table_gen)
		return 0;
	if (m->scan_memo) {
		memo = memo_find(m->scan_memo, cfg);
		if (memo && pages_unchanged(m, &memo->read) &&
		    !tpage_vec_reserve(&c->pages, memo->pages.n)) {
			if (memo->pages.n)
				memcpy(c->pages.p, memo->pages.p,
				       memo->pages.n * sizeof(*memo->pages.p));
			c->pages.n = memo->pages.n;
			c->pages_gen = m->table_gen;
			m->scan_memo_hits++;
			return 0;
		}
	}
	/* Record what this scan reads when it may be the snapshot's. */
	m->scan_recording = m->scan_memo && !memo;
	m->scan_pages.n = 0;
	c->pages.n = 0;
	if (cfg->regime == VMSA_REGIME_EL10 && cfg->s2.enabled) {
		s.tt = &cfg->s2.tt[0];
		s.stage = VMSA_STAGE2;
		s.tt_index = 0;
		err = scan_tt(&s, 0);
	}
	for (unsigned t = 0; !err && cfg->s1.enabled &&
			     t < (cfg->s1.two_ranges ? 2u : 1u); t++) {
		s.tt = &cfg->s1.tt[t];
		s.stage = VMSA_STAGE1;
		s.tt_index = t;
		/* TTBR1 covers the top of the VA space. */
		err = scan_tt(&s, t ? ~0ull << s.tt->ia_bits : 0);
	}
	if (!err)
		c->pages_gen = m->table_gen;
	if (!err && m->scan_recording)
		memo_add(m, c);
	m->scan_recording = false;
	return err;
}

void ctx_forget_pages(vmsa_machine_t *m, unsigned i)
{
	/* 0 is no generation: m->table_gen starts at 1 and only grows. */
	m->ctx.p[i].pages_gen = 0;
}

int ctx_slots(vmsa_machine_t *m, unsigned i, uint64_t pa,
	      struct slot_vec *out)
{
	struct context *c = &m->ctx.p[i];

	for (unsigned p = 0; p < c->pages.n; p++) {
		const struct tpage *tp = &c->pages.p[p];
		const vmsa_tt_cfg_t *tt = tp->stage == VMSA_STAGE2 ?
			&c->cfg.s2.tt[0] : &c->cfg.s1.tt[tp->tt];
		uint64_t idx;

		if (pa < tp->pa || pa >= tp->pa + 8ull * tp->entries)
			continue;
		idx = (pa - tp->pa) / 8;
		if (slot_vec_push(out, (struct slot){
			.ctx = i,
			.stage = tp->stage,
			.level = tp->level,
			.granule = tt->granule,
			.tt = tp->tt,
			.ia = tp->ia_base + idx * vmsa_level_size(tt->granule,
								  tp->level),
		}))
			return -ENOMEM;
	}
	return 0;
}

/* Visit the valid entries of the table at pa (level `level`, entry 0 at
 * ia_base) and, depth first, of the tables below it. */
static void visit(vmsa_machine_t *m, const struct slot *parent, uint64_t pa,
		  int level, uint64_t ia_base, slot_visit_fn fn, void *arg,
		  unsigned depth)
{
	const vmsa_regime_cfg_t *cfg = &m->ctx.p[parent->ctx].cfg;
	unsigned entries = 1u << vmsa_granule_stride(parent->granule);
	uint64_t size = vmsa_level_size(parent->granule, level);
	const uint64_t *table;

	if (depth > 4 || level > VMSA_LEVEL_MAX ||
	    !mem_contains(&m->mem, pa, entries * 8u))
		return;
	table = mem_cptr(&m->mem, pa);
	for (unsigned i = 0; i < entries; i++) {
		uint64_t d = table[i], next;
		vmsa_desc_kind_t k;
		struct slot s = *parent;

		if (!(d & VMSA_D_VALID))
			continue;
		k = vmsa_desc_kind(d, level, parent->granule);

		if (k != VMSA_DESC_TABLE && k != VMSA_DESC_BLOCK &&
		    k != VMSA_DESC_PAGE)
			continue;
		s.level = level;
		s.ia = ia_base + i * size;
		fn(arg, &s, pa + 8ull * i, d);
		if (k != VMSA_DESC_TABLE)
			continue;
		next = vmsa_desc_oa(d, level, parent->granule);
		if (s.stage == VMSA_STAGE1 && !table_pa(m, cfg, next, &next))
			continue;
		visit(m, &s, next, level + 1, s.ia, fn, arg, depth + 1);
	}
}

void ctx_visit_below(vmsa_machine_t *m, const struct slot *s, uint64_t desc,
		     slot_visit_fn fn, void *arg)
{
	uint64_t next;

	if (vmsa_desc_kind(desc, s->level, s->granule) != VMSA_DESC_TABLE)
		return;
	next = vmsa_desc_oa(desc, s->level, s->granule);
	if (s->stage == VMSA_STAGE1 &&
	    !table_pa(m, &m->ctx.p[s->ctx].cfg, next, &next))
		return;
	visit(m, s, next, s->level + 1, s->ia, fn, arg, 0);
}

void slot_tag_into(vmsa_tlb_tag_t *t, const vmsa_machine_t *m,
		   const struct slot *s, uint64_t desc)
{
	const vmsa_regime_cfg_t *cfg = &m->ctx.p[s->ctx].cfg;
	vmsa_desc_kind_t k = vmsa_desc_kind(desc, s->level, s->granule);

	*t = (vmsa_tlb_tag_t){
		.regime = cfg->regime,
		.level = s->level,
		.granule = s->granule,
		.ia = s->ia,
		.size = vmsa_level_size(s->granule, s->level),
		.leaf = k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE,
	};
	if (cfg->regime == VMSA_REGIME_EL10)
		t->vmid = cfg->s2.vmid;
	if (s->stage == VMSA_STAGE2) {
		t->stage = VMSA_TLB_S2;
		return;
	}
	t->stage = VMSA_TLB_S1;
	if (cfg->s1.two_ranges) {
		t->asid = cfg->s1.tt[s->tt].asid;
		/* Walk-cache entries count as non-global (RCHVGJ). */
		t->global = t->leaf && !(desc & VMSA_D_NG);
	} else {
		t->global = true; /* EL2 has no ASIDs */
	}
}

vmsa_tlb_tag_t slot_tag(const vmsa_machine_t *m, const struct slot *s,
			uint64_t desc)
{
	vmsa_tlb_tag_t t;

	slot_tag_into(&t, m, s, desc);
	return t;
}
