/*
 * src/model/snapshot.c - saving and restoring a machine between set-up and
 * the first CPU step.
 *
 * The explorer runs a scenario's set-up once per configuration and
 * restores its result before each execution, instead of re-running it:
 * set-up is deterministic, and often builds whole tables (a 512-entry
 * level-3 table costs more than the steps of an execution). What set-up
 * can change is memory and the allocator, the cache model, descriptor
 * histories and freed pages; and the CPUs' registers, when its only CPU
 * steps are MSRs and exception returns (a litmus test's threads enter
 * their translation regime in set-up): those leave each CPU plain (no
 * TLB entry, pending store or TLBI: cpu_plain), the ordering model as a
 * reset leaves it, and contexts that a look-up by their configurations
 * makes again, so a copy of the CPUs, the contexts' configurations and
 * the step counter is the rest of the state. Any other step makes the
 * snapshot impossible (NULL: set-up then runs before every execution).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "machine.h"

/* Snapshot numbers, from 1: a machine's cache remembers which snapshot
 * it was restored from, and a freed snapshot's address may be reused. */
static _Atomic uint64_t next_id = 1;

struct freed_page {
	uint64_t index;
	uint64_t at;
};

struct vmsa_snapshot {
	struct mem_snap mem;
	struct vmsa_cache cache;
	struct hist_table hist;
	struct freed_page *freed;
	uint64_t n_freed;
	uint64_t table_gen;
	uint64_t id;			/* unique: cache_restore() */
	struct scan_memo *memo;		/* context.c: scans of its memory */
	struct same_vec same;		/* vmsa_same_contents() declarations */
	struct mte_vec tagged;		/* vmsa_mte_tagged() declarations */
	/* After set-up's register steps (step != 0): the CPUs (their lists
	 * empty; ctx_mask's words in mask), the contexts in use and the
	 * step counter. */
	uint64_t step;
	int step_cpu;
	struct cpu *cpu;		/* ncpus of them, or NULL */
	unsigned ncpus;
	uint64_t *mask[VMSA_MAX_CPUS];
	unsigned nmask[VMSA_MAX_CPUS];
	vmsa_regime_cfg_t *ctx;		/* n_ctx configurations */
	unsigned n_ctx;
};

void vmsa_snapshot_free(vmsa_snapshot_t *s)
{
	if (!s)
		return;
	mem_snap_free(&s->mem);
	cache_destroy(&s->cache);
	hist_destroy(&s->hist);
	free(s->freed);
	same_vec_free(&s->same);
	mte_vec_free(&s->tagged);
	scan_memo_free(s->memo);
	free(s->cpu);
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		free(s->mask[i]);
	free(s->ctx);
	free(s);
}

/* Could set-up's CPU steps be saved (the file's comment)? */
static bool steps_saveable(const vmsa_machine_t *m)
{
	if (m->step != m->reg_steps || m->chosen || m->warned || m->excl_mask ||
	    !order_untouched(&m->ord))
		return false;
	for (unsigned i = 0; i < m->f.ncpus; i++)
		if (!cpu_plain(&m->cpu[i]))
			return false;
	return true;
}

/* Save what set-up's register steps changed: 0, or -1 (out of memory). */
static int save_steps(const vmsa_machine_t *m, vmsa_snapshot_t *s)
{
	s->step = m->step;
	s->step_cpu = m->step_cpu;
	s->ncpus = m->f.ncpus;
	s->cpu = malloc(m->f.ncpus * sizeof(*s->cpu));
	s->ctx = malloc((m->n_ctx + 1) * sizeof(*s->ctx));
	if (!s->cpu || !s->ctx)
		return -1;
	memcpy(s->cpu, m->cpu, m->f.ncpus * sizeof(*s->cpu));
	for (unsigned i = 0; i < m->f.ncpus; i++) {
		const struct word_vec *w = &m->cpu[i].ctx_mask;

		s->mask[i] = malloc((w->n + 1) * sizeof(uint64_t));
		if (!s->mask[i])
			return -1;
		if (w->n)
			memcpy(s->mask[i], w->p, w->n * sizeof(uint64_t));
		s->nmask[i] = (unsigned)w->n;
	}
	for (unsigned i = 0; i < m->n_ctx; i++)
		s->ctx[i] = m->ctx.p[i].cfg;
	s->n_ctx = m->n_ctx;
	return 0;
}

/* Back to what save_steps() saved, on a machine whose CPUs and contexts
 * were just reset: contexts made again in the same order get the same
 * indices (their page lists are scanned anew when first used, as after
 * the steps that made them). */
static int load_steps(vmsa_machine_t *m, const vmsa_snapshot_t *s)
{
	for (unsigned i = 0; i < s->n_ctx; i++)
		if (ctx_lookup(m, &s->ctx[i]) != (int)i)
			return -ENOMEM;
	for (unsigned i = 0; i < m->f.ncpus; i++)
		if (cpu_load(&m->cpu[i], &s->cpu[i], s->mask[i], s->nmask[i]))
			return -ENOMEM;
	m->step = m->reg_steps = s->step;
	m->step_cpu = s->step_cpu;
	return 0;
}

/* The pages set-up freed (freed_at valid in the current epoch). */
static int save_freed(const vmsa_machine_t *m, vmsa_snapshot_t *s)
{
	uint64_t npages = m->f.mem_size / VMSA_PAGE_SIZE, n = 0;

	for (uint64_t i = 0; i < npages; i++)
		n += m->freed_epoch[i] == m->epoch;
	s->freed = calloc(n + 1, sizeof(*s->freed));
	if (!s->freed)
		return -1;
	for (uint64_t i = 0; i < npages; i++)
		if (m->freed_epoch[i] == m->epoch)
			s->freed[s->n_freed++] =
				(struct freed_page){i, m->freed_at[i]};
	return 0;
}

vmsa_snapshot_t *vmsa_snapshot_take(const vmsa_machine_t *m)
{
	vmsa_snapshot_t *s;

	if (m->stopped || (m->step != 0 && !steps_saveable(m)))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (m->step != 0 && save_steps(m, s)) {
		vmsa_snapshot_free(s);
		return NULL;
	}
	if (mem_save(&m->mem, &s->mem) || cache_init(&s->cache) ||
	    cache_copy(&s->cache, &m->cache) || hist_init(&s->hist) ||
	    hist_copy(&s->hist, &m->hist) || save_freed(m, s)) {
		vmsa_snapshot_free(s);
		return NULL;
	}
	for (unsigned i = 0; i < m->same.n; i++) {
		if (same_vec_push(&s->same, m->same.p[i])) {
			vmsa_snapshot_free(s);
			return NULL;
		}
	}
	for (unsigned i = 0; i < m->tagged.n; i++) {
		if (mte_vec_push(&s->tagged, m->tagged.p[i])) {
			vmsa_snapshot_free(s);
			return NULL;
		}
	}
	s->table_gen = m->table_gen;
	s->memo = scan_memo_new();
	s->id = atomic_fetch_add(&next_id, 1);
	return s;
}

int vmsa_snapshot_restore(vmsa_machine_t *m, const vmsa_snapshot_t *s)
{
	/* Saved CPUs are this machine's (another's would not fit). */
	if (s->cpu && s->ncpus != m->f.ncpus)
		return -EINVAL;
	/* The cache is restored, not reset: cache_restore() undoes only
	 * what the last execution changed; saved CPUs are loaded whole
	 * (load_steps), not reset first. */
	m->keep_cache = true;
	m->load_cpus = s->cpu != NULL;
	machine_reset_cpus(m);
	m->keep_cache = m->load_cpus = false;
	mem_load(&m->mem, &s->mem);
	if (cache_restore(&m->cache, &s->cache, s->id)) {
		cache_reset(&m->cache);
		return -ENOMEM;
	}
	if (hist_copy(&m->hist, &s->hist))
		return -ENOMEM;
	for (uint64_t i = 0; i < s->n_freed; i++) {
		m->freed_at[s->freed[i].index] = s->freed[i].at;
		m->freed_epoch[s->freed[i].index] = m->epoch;
	}
	/* Contexts are rebuilt from scratch after a reset; the generation
	 * only has to differ from any a context was scanned at. */
	m->table_gen = s->table_gen + 1;
	m->scan_memo = s->memo;
	for (unsigned i = 0; i < s->same.n; i++)
		if (same_vec_push(&m->same, s->same.p[i]))
			return -ENOMEM;
	for (unsigned i = 0; i < s->tagged.n; i++)
		if (mte_vec_push(&m->tagged, s->tagged.p[i]))
			return -ENOMEM;
	if (s->cpu)
		return load_steps(m, s);
	return 0;
}
