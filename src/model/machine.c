/*
 * src/model/machine.c - machine lifetime, features, steps, choices,
 * violations and the trace.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "irq.h"
#include "machine.h"
#include "translate.h"
#include "regime_cache.h"
#include "write.h"

vmsa_features_t vmsa_features_default(void)
{
	vmsa_features_t f = {
		.ncpus = 2,
		.mem_base = 0x40000000ull,
		.mem_size = 16ull << 20,
		.bbm_level = 0,
		.bbm_may_abort = true,
		.tlbirange = true,
		.pa_bits = 40,
		.conflict_route = VMSA_CONFLICT_TO_EL2,
	};

	return f;
}

int vmsa_features_check(const vmsa_features_t *f, const char **why)
{
	const char *msg = NULL;

	if (f->ncpus < 1 || f->ncpus > VMSA_MAX_CPUS)
		msg = "ncpus must be between 1 and 8";
	else if (!f->mem_size || f->mem_size % (64u << 10))
		msg = "mem_size must be a non-zero multiple of 64 KiB";
	else if (f->mem_base % (64u << 10))
		msg = "mem_base must be 64 KiB aligned";
	else if (f->pa_bits < 32 || f->pa_bits > 48)
		msg = "pa_bits must be between 32 and 48";
	else if (f->mem_base + f->mem_size < f->mem_base ||
		 ((f->mem_base + f->mem_size - 1) >> f->pa_bits))
		msg = "memory does not fit in the physical address size";
	else if (f->bbm_level > 2)
		msg = "bbm_level must be 0, 1 or 2";
	else if (f->conflict_route != VMSA_CONFLICT_TO_EL2 &&
		 f->conflict_route != VMSA_CONFLICT_TO_EL1)
		msg = "conflict_route is not a vmsa_conflict_route_t";
	if (why)
		*why = msg;
	return msg ? -EINVAL : 0;
}

static unsigned choose_first(void *ctx, unsigned n, const char *what)
{
	(void)ctx;
	(void)n;
	(void)what;
	return 0;
}

/* What a CPU keeps across resets: its lists' memory, its translation
 * memo and its registered handlers. */
struct cpu_keep {
	struct held_mem held, retiring, retired;
	struct word_vec fresh, ctx_mask;
	struct pa_vec pst;
	struct tlbi_vec ptl;
	struct xlat_memo *xc;
	struct handler h[3];
};

static void cpu_keep_take(struct cpu *c, struct cpu_keep *k)
{
	k->held = held_mem_of(&c->held);
	k->retiring = held_mem_of(&c->retiring);
	k->retired = held_mem_of(&c->retired);
	k->fresh = c->fresh;
	k->ctx_mask = c->ctx_mask;
	k->pst = c->pending_st;
	k->ptl = c->pending_tlbi;
	k->xc = c->xc;
	memcpy(k->h, c->handlers, sizeof(k->h));
	for (unsigned i = 0; i < k->ptl.n; i++)
		pa_vec_free(&k->ptl.p[i].protect);
}

/* c's lists, sets zeroed (empty), take k's memory back, emptied. */
static void cpu_keep_give(struct cpu *c, const struct cpu_keep *k)
{
	memset(&c->held, 0, sizeof(c->held));
	memset(&c->retiring, 0, sizeof(c->retiring));
	memset(&c->retired, 0, sizeof(c->retired));
	held_mem_give(&c->held, k->held);
	held_mem_give(&c->retiring, k->retiring);
	held_mem_give(&c->retired, k->retired);
	c->fresh = k->fresh;
	c->ctx_mask = k->ctx_mask;
	c->pending_st = k->pst;
	c->pending_tlbi = k->ptl;
	c->xc = k->xc;
	c->fresh.n = 0;
	c->ctx_mask.n = 0;
	c->pending_st.n = 0;
	c->pending_tlbi.n = 0;
	memcpy(c->handlers, k->h, sizeof(k->h));
}

static void cpu_init(struct cpu *c, unsigned id, const vmsa_features_t *f)
{
	struct cpu_keep k;

	/* Keep the lists' memory and the registered handlers across
	 * resets: a reset empties the lists. */
	cpu_keep_take(c, &k);
	memset(c, 0, sizeof(*c));
	cpu_keep_give(c, &k);
	c->id = id;
	c->el = 2;
	c->cur_ctx = -1;
	sysreg_reset(&c->regs);
	/* PSTATE.{D,A,I,F} are set to 1 by a reset (IKWHDG: all masked);
	 * ICC_PMR_EL1 stays 0, which masks every interrupt. */
	c->regs.r[VMSA_REG_DAIF] = VMSA_DAIF_ALL;
	if (f->hcr_fb)
		c->regs.r[VMSA_REG_HCR_EL2] |= VMSA_HCR_FB;
}

bool cpu_plain(const struct cpu *c)
{
	return !c->held.n && !c->retiring.n && !c->retired.n &&
	       !c->fresh.n && !c->pending_st.n && !c->pending_tlbi.n &&
	       !c->depth && !c->trap && !c->skip_depth;
}

int cpu_load(struct cpu *c, const struct cpu *saved, const uint64_t *mask,
	     unsigned nmask)
{
	struct cpu_keep k;

	cpu_keep_take(c, &k);
	memcpy(c, saved, sizeof(*c));
	cpu_keep_give(c, &k);
	for (unsigned i = 0; i < nmask; i++)
		if (word_vec_push(&c->ctx_mask, mask[i]))
			return -ENOMEM;
	return 0;
}

static void contexts_reset(vmsa_machine_t *m)
{
	m->n_ctx = 0;
	m->ctx_epoch++;
	m->scan_memo = NULL;
	m->table_gen = 1;
}

vmsa_machine_t *vmsa_machine_new(const vmsa_features_t *f, const char **why)
{
	vmsa_machine_t *m;

	if (vmsa_features_check(f, why))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m || mem_init(&m->mem, f->mem_base, f->mem_size) ||
	    cache_init(&m->cache) || hist_init(&m->hist) ||
	    order_init(&m->ord) ||
	    !(m->freed_at = calloc(f->mem_size / VMSA_PAGE_SIZE,
				   sizeof(*m->freed_at))) ||
	    !(m->freed_epoch = calloc(f->mem_size / VMSA_PAGE_SIZE,
				      sizeof(*m->freed_epoch)))) {
		if (m) {
			free(m->freed_at);
			free(m->freed_epoch);
			mem_destroy(&m->mem);
			cache_destroy(&m->cache);
			hist_destroy(&m->hist);
			order_destroy(&m->ord);
		}
		free(m);
		if (why)
			*why = "out of memory";
		return NULL;
	}
	m->f = *f;
	if (m->f.ets3)
		m->f.ets2 = true; /* FEAT_ETS3 implies FEAT_ETS2 */
	vmsa_set_chooser(m, NULL);
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		cpu_init(&m->cpu[i], i, &m->f);
	vmsa_machine_reset(m);
	return m;
}

void vmsa_machine_free(vmsa_machine_t *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++) {
		struct cpu *c = &m->cpu[i];

		for (unsigned j = 0; j < c->pending_tlbi.n; j++)
			pa_vec_free(&c->pending_tlbi.p[j].protect);
		tlbi_vec_free(&c->pending_tlbi);
		pa_vec_free(&c->pending_st);
		held_destroy(&c->held);
		held_destroy(&c->retiring);
		held_destroy(&c->retired);
		word_vec_free(&c->fresh);
		word_vec_free(&c->ctx_mask);
		free(c->xc);
	}
	for (unsigned i = 0; i < m->ctx.n; i++)
		tpage_vec_free(&m->ctx.p[i].pages);
	context_vec_free(&m->ctx);
	pa_vec_free(&m->scan_pages);
	hist_destroy(&m->hist);
	order_destroy(&m->ord);
	cache_destroy(&m->cache);
	mem_destroy(&m->mem);
	free(m->freed_at);
	free(m->freed_epoch);
	ventry_vec_free(&m->ventries);
	ventry_vec_free(&m->conflict);
	same_vec_free(&m->same);
	mte_vec_free(&m->tagged);
	ventry_vec_free(&m->wentries);
	xlat_scratch_free(m);
	write_scratch_free(m);
	regime_cache_free(m);
	free(m);
}

void vmsa_machine_reset(vmsa_machine_t *m)
{
	mem_reset(&m->mem);
	machine_reset_cpus(m);
}

void machine_reset_cpus(vmsa_machine_t *m)
{
	if (!m->keep_cache)
		cache_reset(&m->cache);
	hist_reset(&m->hist);
	order_reset(&m->ord);
	/* Only the machine's CPUs: the others are never used (every
	 * operation checks its CPU number), and stay as vmsa_machine_new()
	 * left them. */
	for (unsigned i = 0; i < m->f.ncpus && !m->load_cpus; i++)
		cpu_init(&m->cpu[i], i, &m->f);
	contexts_reset(m);
	/* Forget every free record at once; clear for real only when the
	 * epoch wraps around. */
	if (++m->epoch == 0) {
		memset(m->freed_epoch, 0, m->f.mem_size / VMSA_PAGE_SIZE *
					  sizeof(*m->freed_epoch));
		m->epoch = 1;
	}
	m->step = 0;
	m->reg_steps = 0;
	m->chosen = false;
	m->step_cpu = -1;
	m->excl_mask = 0;
	m->stopped = false;
	memset(&m->violation, 0, sizeof(m->violation));
	m->ventries.n = 0;
	m->ventries_oom = false;
	m->conflict.n = 0;
	m->same.n = 0;
	m->tagged.n = 0;
	m->warned = false;
	memset(&m->warning, 0, sizeof(m->warning));
	m->wentries.n = 0;
}

const vmsa_features_t *vmsa_machine_features(const vmsa_machine_t *m)
{
	return &m->f;
}

void vmsa_set_chooser(vmsa_machine_t *m, const vmsa_chooser_t *c)
{
	if (c) {
		m->chooser = *c;
	} else {
		m->chooser.choose = choose_first;
		m->chooser.ctx = NULL;
	}
}

void vmsa_set_step_hook(vmsa_machine_t *m, vmsa_step_hook_fn fn, void *ctx)
{
	m->step_hook = fn;
	m->step_hook_ctx = ctx;
}

void vmsa_set_trace(vmsa_machine_t *m, vmsa_trace_fn fn, void *ctx)
{
	m->trace = fn;
	m->trace_ctx = ctx;
}

void vmsa_set_violation_hook(vmsa_machine_t *m, vmsa_violation_fn fn,
			     void *ctx)
{
	m->on_violation = fn;
	m->on_violation_ctx = ctx;
}

void machine_set_retry_hook(vmsa_machine_t *m, machine_retry_fn fn,
			    void *ctx)
{
	m->retry_hook = fn;
	m->retry_hook_ctx = ctx;
}

void machine_set_held_prune(vmsa_machine_t *m, bool on)
{
	m->held_prune = on;
}

uint64_t vmsa_steps(const vmsa_machine_t *m)
{
	return m->step;
}

bool step_begin_at(vmsa_machine_t *m, int cpu, unsigned how)
{
	if (m->stopped)
		return false;
	if (cpu < 0)
		return true;
	for (;;) {
		if (m->step_hook && !(how & STEP_NO_HOOK))
			m->step_hook(m->step_hook_ctx, m, cpu);
		if (m->stopped)
			return false;
		/* Nothing pending (the usual case) takes nothing; only a
		 * search with reduction must record that this step read
		 * the pending set (irq_boundary). A CSE mark left behind
		 * is harmless: an interrupt sent after it is never forced
		 * by it. */
		if ((how & STEP_NO_IRQ) ||
		    (!m->cpu[cpu].irq_pending && !m->fp) ||
		    !irq_boundary(m, cpu))
			break;
		/* An interrupt was taken before this instruction: its
		 * return is a new boundary, and a scheduling point. */
		how &= ~(unsigned)STEP_NO_HOOK;
	}
	m->step++;
	m->step_cpu = cpu;
	/* Under relaxed every step of a CPU reads (or moves) its views,
	 * which another CPU's access may join into (FP_OBJ_VIEWS). */
	if (m->f.relaxed)
		fp_obj(m, FP_OBJ_VIEWS + (unsigned)cpu, false);
	return true;
}

bool step_begin(vmsa_machine_t *m, int cpu)
{
	return step_begin_at(m, cpu, 0);
}

unsigned choose(vmsa_machine_t *m, unsigned n, const char *what)
{
	unsigned i;

	if (n < 2)
		return 0;
	m->choices++;
	m->chosen = true;
	i = m->chooser.choose(m->chooser.ctx, n, what);
	if (i >= n)
		i = n - 1; /* a chooser bug must not index out of range */
	if (m->trace) {
		char text[160];

		snprintf(text, sizeof(text), "%s: option %u of %u", what, i, n);
		/* A choice belongs to the step (and CPU) that asked for it. */
		vmsa_trace_event_t e = {m->step, m->step_cpu, "choice", text};
		(m->trace)(m->trace_ctx, &e);
	}
	return i;
}

void violation_entry(vmsa_machine_t *m, const vmsa_violation_entry_t *e)
{
	if (m->stopped)
		return;
	if (ventry_vec_push(&m->ventries, *e))
		m->ventries_oom = true;
}

void vmsa_set_bbm_continue(vmsa_machine_t *m, bool on)
{
	m->bbm_continue = on;
}

void vmsa_set_bbm_no_conflict_abort(vmsa_machine_t *m, bool on)
{
	m->bbm_no_abort = on;
}

const vmsa_violation_t *vmsa_bbm_warning(const vmsa_machine_t *m)
{
	return m->warned ? &m->warning : NULL;
}

/*
 * A break-before-make violation that does not stop the execution
 * (vmsa_set_bbm_continue): the first of the execution is kept, with the
 * entries noted for it; the others are dropped. Either way the noted
 * entries are not the next violation's.
 */
static void bbm_warning(vmsa_machine_t *m, int cpu, const char *rule,
			const char *fmt, va_list ap)
{
	vmsa_violation_t *w = &m->warning;

	if (!m->warned) {
		m->warned = true;
		w->kind = VMSA_V_BBM;
		w->rule = rule;
		w->step = m->step;
		w->cpu = cpu;
		vsnprintf(w->message, sizeof(w->message), fmt, ap);
		m->wentries.n = 0;
		for (unsigned i = 0; i < m->ventries.n; i++)
			if (ventry_vec_push(&m->wentries, m->ventries.p[i]))
				break;
		w->n_entries = m->wentries.n;
		w->entries = m->wentries.n ? m->wentries.p : NULL;
		if (m->trace) {
			vmsa_trace_event_t e = {m->step, cpu, "bbm-warning",
						w->message};
			(m->trace)(m->trace_ctx, &e);
		}
	}
	m->ventries.n = 0;
	m->ventries_oom = false;
}

void violation(vmsa_machine_t *m, int cpu, vmsa_violation_kind_t kind,
	       const char *rule, const char *fmt, ...)
{
	vmsa_violation_t *v = &m->violation;
	va_list ap;

	if (m->stopped)
		return;
	if (kind == VMSA_V_BBM && m->bbm_continue) {
		va_start(ap, fmt);
		bbm_warning(m, cpu, rule, fmt, ap);
		va_end(ap);
		return;
	}
	v->kind = kind;
	v->rule = rule;
	v->step = m->step;
	v->cpu = cpu;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
	if (m->ventries_oom) {
		/* The report would be incomplete: say so instead. */
		v->kind = VMSA_V_MODEL_LIMIT;
		v->rule = NULL;
		m->ventries.n = 0;
		snprintf(v->message, sizeof(v->message),
			 "model limit: out of memory for the entries of a "
			 "violation");
	}
	/* Entries added since the last violation belong to this one. */
	v->n_entries = m->ventries.n;
	v->entries = m->ventries.n ? m->ventries.p : NULL;
	m->stopped = true;
	if (m->trace) {
		vmsa_trace_event_t e = {m->step, cpu, "violation", v->message};
		(m->trace)(m->trace_ctx, &e);
	}
	if (m->on_violation)
		m->on_violation(m->on_violation_ctx, m, v);
}

void trace_emit(vmsa_machine_t *m, int cpu, const char *op,
		const char *fmt, ...)
{
	char text[256];
	va_list ap;

	if (!m->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	vmsa_trace_event_t e = {m->step, cpu, op, text};
	(m->trace)(m->trace_ctx, &e);
}

const vmsa_violation_t *vmsa_violation(const vmsa_machine_t *m)
{
	return m->violation.kind != VMSA_V_NONE ? &m->violation : NULL;
}

bool vmsa_stopped(const vmsa_machine_t *m)
{
	return m->stopped;
}

void vmsa_report(vmsa_machine_t *m, int cpu, vmsa_violation_kind_t kind,
		 const char *message)
{
	if (!m->stopped)
		m->ventries.n = 0;
	violation(m, cpu, kind, NULL, "%s", message);
}

const char *vmsa_violation_kind_name(vmsa_violation_kind_t k)
{
	static const char *const names[] = {
		[VMSA_V_NONE] = "none",
		[VMSA_V_BBM] = "bbm",
		[VMSA_V_CONFLICT_UNHANDLED] = "conflict-abort-unhandled",
		[VMSA_V_UNHANDLED_ABORT] = "unhandled-abort",
		[VMSA_V_STALE_UAF] = "stale-use-after-free",
		[VMSA_V_UAF] = "use-after-free",
		[VMSA_V_FREED_TABLE_WALK] = "freed-table-walk",
		[VMSA_V_COHERENCY] = "coherency",
		[VMSA_V_UNDEFINED] = "undefined-instruction",
		[VMSA_V_DOUBLE_FREE] = "double-free",
		[VMSA_V_DEADLOCK] = "deadlock",
		[VMSA_V_LIVELOCK] = "livelock",
		[VMSA_V_ASSERT] = "assert",
		[VMSA_V_BAD_CONFIG] = "bad-config",
		[VMSA_V_MODEL_LIMIT] = "model-limit",
		[VMSA_V_BAD_CALL] = "bad-call",
		[VMSA_V_RECURSION] = "recursive-exception",
	};

	if ((unsigned)k < sizeof(names) / sizeof(names[0]) && names[k])
		return names[k];
	return "?";
}

void page_freed_now(vmsa_machine_t *m, uint64_t pa)
{
	uint64_t i = (pa - m->f.mem_base) / VMSA_PAGE_SIZE;

	m->freed_at[i] = m->step;
	m->freed_epoch[i] = m->epoch;
}

uint64_t page_freed_step(const vmsa_machine_t *m, uint64_t pa)
{
	uint64_t i;

	if (!mem_contains(&m->mem, pa, 1))
		return 0;
	i = (pa - m->f.mem_base) / VMSA_PAGE_SIZE;
	return m->freed_epoch[i] == m->epoch ? m->freed_at[i] : 0;
}

bool page_freed_since(const vmsa_machine_t *m, uint64_t pa, uint64_t since)
{
	uint64_t i;

	if (!mem_contains(&m->mem, pa, 1))
		return false;
	if (mem_page_free(&m->mem, pa))
		return true;
	i = (pa - m->f.mem_base) / VMSA_PAGE_SIZE;
	return m->freed_epoch[i] == m->epoch && m->freed_at[i] >= since;
}

unsigned vmsa_held_count(const vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	return cpu >= 0 && (unsigned)cpu < m->f.ncpus ? m->cpu[cpu].held.n : 0;
}

bool vmsa_held_get(const vmsa_machine_t *m, vmsa_cpu_t cpu, unsigned i,
		   vmsa_violation_entry_t *out)
{
	const struct held *h;

	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus || i >= m->cpu[cpu].held.n)
		return false;
	h = &m->cpu[cpu].held.p[i];
	*out = (vmsa_violation_entry_t){
		.cpu = cpu, .tag = h->tag, .desc = h->desc, .loc = h->loc,
	};
	return true;
}
