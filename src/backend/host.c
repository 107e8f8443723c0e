/*
 * src/backend/host.c - the host backend of the page-table library: plain
 * memory, C11 atomics, and maintenance that does nothing but is counted
 * (and recorded when asked), so that unit tests can check exactly what an
 * operation issued and benchmarks measure the library, not the hardware.
 *
 * The pool: pool_pages granule-sized pages in one aligned allocation,
 * each with a reference count (-1 = free). Single pages come from a stack
 * of free indexes; the rare multi-page root is found by scanning for an
 * aligned free run, its pages' stale stack entries skipped when popped.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsa/backend.h"

#define FREE_COUNT (-1)

struct vmsa_host {
	vmsa_pgt_ops_t ops;
	vmsa_host_cfg_t cfg;
	unsigned gshift;
	unsigned char *pool;
	uint64_t pa_off;        /* pa = host address - pa_off */
	int *count;             /* per page; FREE_COUNT when free */
	size_t *stack;          /* free page indexes (may hold stale ones) */
	size_t n_stack, cap_stack, in_use;
	unsigned fail_in;       /* allocations until the injected failure */
	vmsa_host_stats_t st;
	vmsa_host_event_t *ev;
	size_t n_ev, dropped;
};

static vmsa_host_event_t *record(vmsa_host_t *h, vmsa_host_ev_kind_t k)
{
	vmsa_host_event_t *e;

	if (!h->cfg.trace_cap)
		return NULL;
	if (h->n_ev == h->cfg.trace_cap) {
		h->dropped++;
		return NULL;
	}
	e = &h->ev[h->n_ev++];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	return e;
}

static uint64_t pa_of(const vmsa_host_t *h, const void *va)
{
	return (uint64_t)(uintptr_t)va - h->pa_off;
}

/* ------------------------------------------------------------------ */
/* Descriptors                                                         */
/* ------------------------------------------------------------------ */

static uint64_t h_read(void *ctx, uint64_t *p)
{
	vmsa_host_t *h = ctx;

	h->st.reads++;
	return atomic_load_explicit((_Atomic uint64_t *)p,
				    memory_order_relaxed);
}

static void h_write(void *ctx, uint64_t *p, uint64_t v, bool release)
{
	vmsa_host_t *h = ctx;
	vmsa_host_event_t *e;

	if (release)
		atomic_store_explicit((_Atomic uint64_t *)p, v,
				      memory_order_release);
	else
		atomic_store_explicit((_Atomic uint64_t *)p, v,
				      memory_order_relaxed);
	h->st.writes++;
	h->st.release_writes += release;
	if (__builtin_expect(h->cfg.trace_cap != 0, 0) &&
	    (e = record(h, VMSA_HOST_EV_WRITE))) {
		e->sub = release;
		e->arg = v;
		e->pa = pa_of(h, p);
	}
}

static uint64_t h_cas(void *ctx, uint64_t *p, uint64_t old, uint64_t new_)
{
	vmsa_host_t *h = ctx;
	uint64_t found = old;
	vmsa_host_event_t *e;
	bool ok;

	h->st.cas++;
	ok = atomic_compare_exchange_strong_explicit(
		(_Atomic uint64_t *)p, &found, new_, memory_order_acq_rel,
		memory_order_acquire);
	if (!ok)
		h->st.cas_failed++;
	if ((e = record(h, VMSA_HOST_EV_CAS))) {
		e->sub = !ok;
		e->arg = new_;
		e->pa = pa_of(h, p);
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* Barriers and maintenance: counted, recorded                         */
/* ------------------------------------------------------------------ */

static void h_dsb(void *ctx, vmsa_pgt_dsb_t kind)
{
	vmsa_host_t *h = ctx;
	vmsa_host_event_t *e;

	if ((unsigned)kind < 4)
		h->st.dsb[kind]++;
	else
		h->st.errors++;
	if ((e = record(h, VMSA_HOST_EV_DSB)))
		e->sub = kind;
}

static void h_isb(void *ctx)
{
	vmsa_host_t *h = ctx;

	h->st.isb++;
	record(h, VMSA_HOST_EV_ISB);
}

static void h_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	vmsa_host_t *h = ctx;
	vmsa_host_event_t *e;

	if ((unsigned)t->op.type < VMSA_TLBI_N_TYPES)
		h->st.tlbi[t->op.type]++;
	else
		h->st.errors++;
	if (t->op.sh == VMSA_TLBI_NSH)
		h->st.tlbi_local++;
	if ((e = record(h, VMSA_HOST_EV_TLBI)))
		e->tlbi = *t;
}

static void h_cmo_range(void *ctx, vmsa_pgt_cmo_t op, void *va,
			uint64_t size)
{
	vmsa_host_t *h = ctx;
	vmsa_host_event_t *e;

	if ((unsigned)op < 5 && size && !(size & ((1ull << h->gshift) - 1)))
		h->st.cmo[op] += size >> h->gshift;
	else
		h->st.errors++;
	if ((e = record(h, VMSA_HOST_EV_CMO))) {
		e->sub = op;
		e->arg = pa_of(h, va);
		e->size = size;
	}
}

static void h_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	vmsa_host_t *h = ctx;

	h_cmo_range(ctx, op, va, 1ull << h->gshift);
}

/* ------------------------------------------------------------------ */
/* The page pool                                                       */
/* ------------------------------------------------------------------ */

/* Index of the pool page at va, or -1 (not a page of the pool). */
static long page_index(const vmsa_host_t *h, const void *va)
{
	uintptr_t a = (uintptr_t)va, base = (uintptr_t)h->pool;
	uintptr_t size = (uintptr_t)h->cfg.pool_pages << h->gshift;

	if (a < base || a - base >= size ||
	    ((a - base) & (((uintptr_t)1 << h->gshift) - 1)))
		return -1;
	return (long)((a - base) >> h->gshift);
}

static void push_free(vmsa_host_t *h, size_t i)
{
	size_t j;

	if (h->n_stack == h->cap_stack) {
		/* Only stale entries can fill it: rebuild from the counts. */
		h->n_stack = 0;
		for (j = h->cfg.pool_pages; j-- > 0;)
			if (h->count[j] == FREE_COUNT && j != i)
				h->stack[h->n_stack++] = j;
	}
	h->stack[h->n_stack++] = i;
}

/* Whether this allocation is the injected failure. */
static bool inject(vmsa_host_t *h)
{
	vmsa_host_event_t *e;

	h->st.allocs++;
	if (!h->fail_in || --h->fail_in)
		return false;
	h->st.alloc_failures++;
	if ((e = record(h, VMSA_HOST_EV_ALLOC)))
		e->arg = 0;
	return true;
}

static void *take(vmsa_host_t *h, size_t i)
{
	void *p = h->pool + (i << h->gshift);
	vmsa_host_event_t *e;

	memset(p, 0, (size_t)1 << h->gshift);
	h->count[i] = 1;
	h->in_use++;
	if ((e = record(h, VMSA_HOST_EV_ALLOC)))
		e->arg = pa_of(h, p);
	return p;
}

static void *h_zalloc_page(void *ctx)
{
	vmsa_host_t *h = ctx;
	size_t i;

	if (inject(h))
		return NULL;
	while (h->n_stack) {
		i = h->stack[--h->n_stack];
		if (h->count[i] == FREE_COUNT)
			return take(h, i);
	}
	return NULL;
}

static void *h_zalloc_pages(void *ctx, unsigned n)
{
	vmsa_host_t *h = ctx;
	size_t i, j;
	void *first;

	if (n < 1 || n > 16 || inject(h))
		return NULL;
	for (i = 0; i + n <= h->cfg.pool_pages; i += n) {
		for (j = 0; j < n && h->count[i + j] == FREE_COUNT; j++)
			;
		if (j < n)
			continue;
		first = take(h, i);
		for (j = 1; j < n; j++)
			take(h, i + j);
		return first;
	}
	return NULL;
}

static void h_free_page(void *ctx, void *page)
{
	vmsa_host_t *h = ctx;
	long i = page_index(h, page);
	vmsa_host_event_t *e;

	if (i < 0 || h->count[i] != 0) {
		h->st.errors++;
		return;
	}
	h->st.frees++;
	h->count[i] = FREE_COUNT;
	h->in_use--;
	push_free(h, (size_t)i);
	if ((e = record(h, VMSA_HOST_EV_FREE)))
		e->arg = pa_of(h, page);
}

static void h_get_page(void *ctx, void *page)
{
	vmsa_host_t *h = ctx;
	long i = page_index(h, page);

	if (i < 0 || h->count[i] <= 0)
		h->st.errors++;
	else
		h->count[i]++;
}

static void h_put_page(void *ctx, void *page)
{
	vmsa_host_t *h = ctx;
	long i = page_index(h, page);

	if (i < 0 || h->count[i] <= 0)
		h->st.errors++;
	else
		h->count[i]--;
}

static void h_page_ref_add(void *ctx, void *page, int delta)
{
	vmsa_host_t *h = ctx;
	long i = page_index(h, page);

	if (i < 0 || h->count[i] <= 0 || h->count[i] + delta < 0)
		h->st.errors++;
	else
		h->count[i] += delta;
}

static int h_page_count(void *ctx, void *page)
{
	vmsa_host_t *h = ctx;
	long i = page_index(h, page);

	if (i < 0) {
		h->st.errors++;
		return 0;
	}
	return h->count[i] < 0 ? 0 : h->count[i];
}

static vmsa_pgt_pa_t h_virt_to_phys(void *ctx, void *va)
{
	return VMSA_PGT_PA(pa_of(ctx, va));
}

static void *h_phys_to_virt(void *ctx, vmsa_pgt_pa_t pa)
{
	vmsa_host_t *h = ctx;

	return (void *)(uintptr_t)(pa.pa + h->pa_off);
}

/* ------------------------------------------------------------------ */
/* Creation and queries                                                */
/* ------------------------------------------------------------------ */

vmsa_host_t *vmsa_host_new(const vmsa_host_cfg_t *cfg)
{
	vmsa_host_t *h;
	size_t gsize, i;

	if (!cfg || !cfg->pool_pages || (unsigned)cfg->granule > 2)
		return NULL;
	gsize = (size_t)1 << (12 + 2 * (unsigned)cfg->granule);
	if (cfg->pool_pa & (16 * (uint64_t)gsize - 1))
		return NULL;
	if (cfg->pool_pages > ((size_t)1 << 30) / sizeof(int))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->cfg = *cfg;
	h->gshift = 12 + 2 * (unsigned)cfg->granule;
	/* 16 granules of alignment, so concatenated roots can be aligned
	 * to their size in both the host and the physical view. */
	h->pool = aligned_alloc(16 * gsize,
				((cfg->pool_pages + 15) & ~(size_t)15) * gsize);
	h->count = malloc(cfg->pool_pages * sizeof(int));
	h->cap_stack = cfg->pool_pages + 64;
	h->stack = malloc(h->cap_stack * sizeof(size_t));
	h->ev = cfg->trace_cap ? calloc(cfg->trace_cap, sizeof(*h->ev)) : NULL;
	if (!h->pool || !h->count || !h->stack || (cfg->trace_cap && !h->ev)) {
		vmsa_host_free(h);
		return NULL;
	}
	h->pa_off = cfg->pool_pa ? (uint64_t)(uintptr_t)h->pool - cfg->pool_pa
				 : 0;
	/* Pages come off the stack lowest first: predictable addresses. */
	for (i = cfg->pool_pages; i-- > 0;) {
		h->count[i] = FREE_COUNT;
		h->stack[h->n_stack++] = i;
	}
	h->ops = (vmsa_pgt_ops_t){
		.ctx = h,
		.read = h_read,
		.write = h_write,
		.cas = h_cas,
		.dsb = h_dsb,
		.isb = h_isb,
		.tlbi = h_tlbi,
		.cmo = h_cmo,
		.cmo_range = h_cmo_range,
		.zalloc_page = h_zalloc_page,
		.zalloc_pages = h_zalloc_pages,
		.free_page = h_free_page,
		.get_page = h_get_page,
		.put_page = h_put_page,
		.page_count = h_page_count,
		.page_ref_add = h_page_ref_add,
		.virt_to_phys = h_virt_to_phys,
		.phys_to_virt = h_phys_to_virt,
		.features = cfg->features,
		.direct = !cfg->trace_cap && !cfg->count_accesses,
	};
	return h;
}

void vmsa_host_free(vmsa_host_t *h)
{
	if (!h)
		return;
	free(h->pool);
	free(h->count);
	free(h->stack);
	free(h->ev);
	free(h);
}

vmsa_pgt_ops_t *vmsa_host_ops(vmsa_host_t *h)
{
	return h ? &h->ops : NULL;
}

const vmsa_host_stats_t *vmsa_host_stats(const vmsa_host_t *h)
{
	return &h->st;
}

void vmsa_host_reset(vmsa_host_t *h)
{
	memset(&h->st, 0, sizeof(h->st));
	h->n_ev = 0;
	h->dropped = 0;
}

void vmsa_host_fail_alloc(vmsa_host_t *h, unsigned n)
{
	h->fail_in = n;
}

size_t vmsa_host_pages_in_use(const vmsa_host_t *h)
{
	return h->in_use;
}

int vmsa_host_page_count(const vmsa_host_t *h, vmsa_pgt_pa_t pa)
{
	long i = page_index(h, (void *)(uintptr_t)(pa.pa + h->pa_off));

	return i < 0 || h->count[i] == FREE_COUNT ? -1 : h->count[i];
}

size_t vmsa_host_events(const vmsa_host_t *h, const vmsa_host_event_t **ev,
			size_t *dropped)
{
	if (ev)
		*ev = h->ev;
	if (dropped)
		*dropped = h->dropped;
	return h->n_ev;
}

/* ------------------------------------------------------------------ */
/* The trace as text                                                   */
/* ------------------------------------------------------------------ */

static const char *const dsb_names[] = {"ishst", "ish", "nshst", "nsh"};
static const char *const cmo_names[] = {"dc.cvac", "dc.civac", "dc.cvau",
					"ic.ivau", "ic.ialluis"};

typedef struct out {
	char *buf;
	size_t size, len;
} out_t;

static void put(out_t *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(out_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
		      o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* "tlbi.ipas2e1is(0x40000000,L3)", "tlbi.vale1is(0x1000,L3,asid=5)",
 * "tlbi.vmalls12e1is": the address and hint decoded from the operand. */
static void put_tlbi(out_t *o, const vmsa_pgt_tlbi_t *t)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t->op.type);
	const char *sh = t->op.sh == VMSA_TLBI_IS   ? "is"
			 : t->op.sh == VMSA_TLBI_OS ? "os"
						    : "";
	char name[24];
	size_t i;
	unsigned ttl = (unsigned)(t->xt >> 44) & 0xf;

	snprintf(name, sizeof(name), "%s", info ? info->name : "?");
	for (i = 0; name[i]; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	put(o, "tlbi.%s%s", name, sh);
	if (!info || !info->has_operand)
		return;
	if (info->scope == VMSA_TLBI_SCOPE_ASID) {
		put(o, "(asid=%u)", (unsigned)(t->xt >> 48));
		return;
	}
	if (info->scope == VMSA_TLBI_SCOPE_IPAS2)
		put(o, "(0x%llx", (unsigned long long)((t->xt & ((1ull << 40) - 1)) << 12));
	else
		put(o, "(0x%llx", (unsigned long long)((t->xt & ((1ull << 44) - 1)) << 12));
	if (ttl & 3)
		put(o, ",L%u", ttl & 3);
	if (info->scope == VMSA_TLBI_SCOPE_VA && (t->xt >> 48))
		put(o, ",asid=%u", (unsigned)(t->xt >> 48));
	put(o, ")");
}

int vmsa_host_format(const vmsa_host_t *h, char *buf, size_t size,
		     bool stores)
{
	out_t o = {.buf = buf, .size = size, .len = 0};
	size_t i;

	if (buf && size)
		buf[0] = 0;
	for (i = 0; i < h->n_ev; i++) {
		const vmsa_host_event_t *e = &h->ev[i];
		size_t before = o.len;

		if (o.len)
			put(&o, " ");
		switch (e->kind) {
		case VMSA_HOST_EV_WRITE:
			if (stores)
				put(&o, e->sub ? "w.rel" : "w");
			break;
		case VMSA_HOST_EV_CAS:
			if (stores)
				put(&o, e->sub ? "cas.fail" : "cas");
			break;
		case VMSA_HOST_EV_DSB:
			put(&o, "dsb.%s", e->sub < 4 ? dsb_names[e->sub] : "?");
			break;
		case VMSA_HOST_EV_ISB:
			put(&o, "isb");
			break;
		case VMSA_HOST_EV_TLBI:
			put_tlbi(&o, &e->tlbi);
			break;
		case VMSA_HOST_EV_CMO:
			put(&o, "%s(0x%llx",
			    e->sub < 5 ? cmo_names[e->sub] : "?",
			    (unsigned long long)e->arg);
			if (e->size != (1ull << h->gshift))
				put(&o, "+0x%llx", (unsigned long long)e->size);
			put(&o, ")");
			break;
		default:
			break;
		}
		/* Events not shown leave no separator behind. */
		if (o.len == before + (before ? 1 : 0)) {
			o.len = before;
			if (buf && before < size)
				buf[before] = 0;
		}
	}
	return (int)o.len;
}
