/*
 * src/model/write.c - what a store to a descriptor does to TLBs, and the
 * break-before-make check.
 *
 * Overwriting a valid descriptor of a context that a CPU may have cached
 * leaves the old value (and, for a table, every valid entry below it) in
 * the set of entries that CPU's TLB may still hold, until a TLBI removes
 * them (tlb.h). The new value is then checked with the architecture's rule
 * (vmsa_bbm_check(), RWHZWS, RKFLJB, RNGLXZ) against every entry any CPU
 * may still hold for an overlapping input range in the same context: a
 * change that needs a break at the machine's FEAT_BBM level is a
 * violation, reported at this write. A store stays invisible to walks until
 * the writer's next DSB (RSPVBD, hist.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "context.h"
#include "write.h"

#define MAX_SLOTS 16

/* The slots pa is in, over every context some CPU may have cached. */
static unsigned find_slots(vmsa_machine_t *m, uint64_t pa, struct slot *out)
{
	uint64_t mask = 0;
	unsigned n = 0;

	for (unsigned c = 0; c < m->f.ncpus; c++)
		mask |= m->cpu[c].ctx_mask;
	for (unsigned i = 0; i < m->n_ctx && n < MAX_SLOTS; i++) {
		if (!(mask & (1ull << i)))
			continue;
		if (ctx_refresh(m, i)) {
			violation(m, -1, VMSA_V_MODEL_LIMIT, NULL,
				  "out of memory scanning translation tables");
			return 0;
		}
		n += ctx_slots(m, i, pa, out + n, MAX_SLOTS - n);
	}
	return n;
}

bool is_table_slot(vmsa_machine_t *m, uint64_t pa)
{
	struct slot s[MAX_SLOTS];

	return find_slots(m, pa & ~7ull, s) > 0;
}

struct hold_arg {
	vmsa_machine_t *m;
	struct cpu *c;
};

static void hold(struct hold_arg *a, const struct slot *s, uint64_t pa,
		 uint64_t desc)
{
	struct held h = {
		.tag = slot_tag(a->m, s, desc),
		.desc = desc,
		.loc = pa,
		.since = a->m->step,
	};

	if (held_add(&a->c->held, &h))
		violation(a->m, (int)a->c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "out of memory for TLB entries");
	/* A stage-2 leaf of an EL1&0 context may also be cached combined
	 * with stage 1 (VA -> PA), and TLBI IPAS2* need not remove that
	 * (RTVTYQ): only VMALL, VMALLS12 or ALL do (barrier.c removes()).
	 * D8.17.6.1 requires the stage-1 invalidation "even if stage 1
	 * translation is disabled", so this holds with stage 1 off too. */
	if (s->stage == VMSA_STAGE2 && h.tag.leaf &&
	    h.tag.regime == VMSA_REGIME_EL10) {
		h.tag.stage = VMSA_TLB_S12;
		h.any_va = true;
		if (held_add(&a->c->held, &h))
			violation(a->m, (int)a->c->id, VMSA_V_MODEL_LIMIT,
				  NULL, "out of memory for TLB entries");
	}
}

static void hold_visit(void *arg, const struct slot *s, uint64_t pa,
		       uint64_t desc)
{
	hold(arg, s, pa, desc);
}

/* Values of pa that walks may still read (and so TLBs may have cached):
 * what memory holds now and older values whose overwrite is not visible. */
static unsigned live_values(vmsa_machine_t *m, uint64_t pa, uint64_t *out)
{
	const struct hist *h = hist_find(&m->hist, pa);
	unsigned n = 0;

	if (!h) {
		out[0] = mem_read(&m->mem, pa, 8);
		return 1;
	}
	for (unsigned i = hist_visible(h); i < h->n; i++)
		out[n++] = h->v[i].value;
	return n;
}

/* Every CPU that may have cached s's context may now hold the old
 * values, and what is below them when they are tables. */
static void hold_old(vmsa_machine_t *m, const struct slot *s,
		     const uint64_t *vals, unsigned n, uint64_t pa)
{
	for (unsigned c = 0; c < m->f.ncpus; c++) {
		struct hold_arg a = {m, &m->cpu[c]};

		if (!(m->cpu[c].ctx_mask & (1ull << s->ctx)))
			continue;
		for (unsigned i = 0; i < n; i++) {
			vmsa_desc_kind_t k = vmsa_desc_kind(vals[i], s->level,
							    s->granule);

			if (k == VMSA_DESC_INVALID || k == VMSA_DESC_RESERVED)
				continue;
			hold(&a, s, pa, vals[i]);
			ctx_visit_below(m, s, vals[i], hold_visit, &a);
		}
	}
}

static uint64_t canon(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 8) >> 8);
}

/* May held entry h and a new entry at slot s meet in one lookup? */
static bool competes(const vmsa_machine_t *m, const struct held *h,
		     const struct slot *s, uint64_t desc)
{
	vmsa_tlb_tag_t t = slot_tag(m, s, desc);
	uint64_t a = h->tag.ia, b = t.ia;

	if (h->tag.granule != t.granule)
		return false;
	if (h->any_va) {
		/* A combined entry from a stage-2 value, keyed by IPA. */
		if (s->stage != VMSA_STAGE2 || h->tag.regime != t.regime ||
		    h->tag.vmid != t.vmid)
			return false;
	} else if (!tag_same_context(&h->tag, &t)) {
		return false;
	}
	if (t.stage == VMSA_TLB_S1) {
		a = canon(a);
		b = canon(b);
	}
	return range_overlap(a, h->tag.size, b, t.size);
}

/* Report a violation of the rule r: cpu writes desc at slot s, c holds h. */
static void report(vmsa_machine_t *m, int cpu, const struct slot *s,
		   uint64_t pa, uint64_t desc, unsigned holder,
		   const struct held *h, const vmsa_bbm_result_t *r)
{
	char nd[160], od[160];
	vmsa_violation_t *v = &m->violation;

	vmsa_desc_format(nd, sizeof(nd), desc, s->stage, s->level, s->granule);
	vmsa_desc_format(od, sizeof(od), h->desc, s->stage, h->tag.level,
			 h->tag.granule);
	v->n_entries = 1;
	v->entries[0] = (vmsa_violation_entry_t){
		.cpu = (int)holder, .tag = h->tag, .desc = h->desc,
		.loc = h->loc,
	};
	violation(m, cpu, VMSA_V_BBM, r->rule,
		  "CPU%d writes [%s] at PA 0x%" PRIx64 " (stage %d, %s 0x%"
		  PRIx64 ") while CPU%u may still hold [%s] from PA 0x%" PRIx64
		  ": %s; break-before-make is required (%s)",
		  cpu, nd, pa, (int)s->stage,
		  s->stage == VMSA_STAGE2 ? "IPA" : "VA", s->ia, holder, od,
		  h->loc, r->reason, r->rule);
}

struct check_arg {
	vmsa_machine_t *m;
	int cpu;
	bool done;
};

/* Check one new entry against every held entry of every CPU. */
static void check_entry(struct check_arg *a, const struct slot *s,
			uint64_t pa, uint64_t desc)
{
	vmsa_machine_t *m = a->m;
	vmsa_bbm_features_t f = {m->f.bbm_level, m->f.bbm_may_abort};
	vmsa_bbm_entry_t ne = {desc, s->level, s->ia};

	/* Entries a CPU's own completed TLBI removed stay usable by that CPU
	 * until its next context synchronisation event (RBLDZX), but they are
	 * no longer in any TLB for the others: a write after the DSB does not
	 * compete with them. */
	for (unsigned c = 0; c < m->f.ncpus && !a->done; c++) {
		struct held_set *sets[1] = {&m->cpu[c].held};

		for (unsigned k = 0; k < 1 && !a->done; k++) {
			for (unsigned i = 0; i < sets[k]->n; i++) {
				const struct held *h = &sets[k]->e[i];
				vmsa_bbm_entry_t oe = {h->desc, h->tag.level,
						       h->tag.ia};
				vmsa_bbm_result_t r;

				if (!competes(m, h, s, desc))
					continue;
				r = vmsa_bbm_check(&oe, &ne, s->stage,
						   s->granule, &f, 0);
				if (!vmsa_bbm_needs_break(&r))
					continue;
				report(m, a->cpu, s, pa, desc, c, h, &r);
				a->done = true;
				break;
			}
		}
	}
}

static void check_visit(void *arg, const struct slot *s, uint64_t pa,
			uint64_t desc)
{
	struct check_arg *a = arg;

	if (!a->done && (s->level == VMSA_LEVEL_MAX ||
			 vmsa_desc_kind(desc, s->level, s->granule) !=
				 VMSA_DESC_TABLE))
		check_entry(a, s, pa, desc);
}

static void add_pending(vmsa_machine_t *m, struct cpu *c, uint64_t pa)
{
	for (unsigned i = 0; i < c->n_pending_st; i++)
		if (c->pending_st[i] == pa)
			return;
	if (c->n_pending_st == c->cap_pending_st) {
		unsigned cap = c->cap_pending_st ? 2 * c->cap_pending_st : 16;
		uint64_t *p = realloc(c->pending_st, cap * sizeof(*p));

		if (!p) {
			violation(m, (int)c->id, VMSA_V_MODEL_LIMIT, NULL,
				  "out of memory for pending stores");
			return;
		}
		c->pending_st = p;
		c->cap_pending_st = cap;
	}
	c->pending_st[c->n_pending_st++] = pa;
}

static bool is_table(uint64_t d, const struct slot *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (vmsa_desc_kind(d, s[i].level, s[i].granule) ==
		    VMSA_DESC_TABLE)
			return true;
	return false;
}

void desc_store(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v)
{
	struct slot s[MAX_SLOTS];
	uint64_t old = mem_read(&m->mem, pa, 8), vals[HIST_DEPTH];
	unsigned n = cpu >= 0 ? find_slots(m, pa, s) : 0;
	bool structural = n && (is_table(old, s, n) || is_table(v, s, n));

	for (unsigned i = 0; i < n; i++)
		if (s[i].stage == VMSA_STAGE2)
			structural = true; /* stage-1 tables move with it */
	if (v == old)
		n = 0; /* nothing changes for a TLB */
	if (n) {
		unsigned nv = live_values(m, pa, vals);

		for (unsigned i = 0; i < n && !m->stopped; i++)
			hold_old(m, &s[i], vals, nv, pa);
	}
	for (unsigned i = 0; i < n && !m->stopped; i++) {
		struct check_arg a = {m, cpu, false};
		vmsa_desc_kind_t k = vmsa_desc_kind(v, s[i].level,
						    s[i].granule);

		if (k == VMSA_DESC_INVALID || k == VMSA_DESC_RESERVED)
			continue;
		check_entry(&a, &s[i], pa, v);
		if (!a.done)
			ctx_visit_below(m, &s[i], v, check_visit, &a);
	}
	if (m->stopped)
		return;
	if (!hist_write(&m->hist, pa, old, v, cpu, m->step)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "out of memory for descriptor history");
		return;
	}
	if (cpu >= 0)
		add_pending(m, &m->cpu[cpu], pa);
	if (structural || cpu < 0)
		m->table_gen++;
	/* Descriptors are written through the (coherent) data cache. */
	data_write(m, cpu, pa, 8, v, true);
}
