/*
 * src/backend/model.c - the page-table library's ops on the machine
 * model: every operation is a step of the CPU running the calling code
 * (vmsa_run_cpu()), so that the explorer checks the library like any
 * scenario code, and the model's generic checks (break-before-make,
 * use after free of a table page, loss of coherency) apply to it.
 *
 * Set-up code runs as VMSA_SETUP: its descriptor accesses and page
 * allocations are the model's non-step accesses, and barriers, TLB and
 * cache maintenance do nothing (nothing is held in a TLB before the CPUs
 * start; the model takes set-up accesses as the initial state).
 *
 * Reference counts of table pages live in model memory, one 32-bit word
 * per granule of memory, in pages the backend allocates at init. They
 * are updated without steps: a CPU's code runs without interruption
 * between two of its steps, so each update is atomic, and being model
 * memory they are restored with the rest of it before every execution.
 * For the explorer's partial-order reduction, each update is recorded
 * as an access to its word's line by the event in progress (the CPU's
 * last step), as a data access there would be.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/cache.h"
#include "model/footprint.h"
#include "model/machine.h"
#include "model_int.h"

/* ------------------------------------------------------------------ */
/* The running CPU and the state pages                                 */
/* ------------------------------------------------------------------ */

/* Model pages holding every CPU's state. */
#define CPU_STATE_PAGES                                                   \
	((unsigned)((VMSA_MAX_CPUS * sizeof(struct model_cpu_state) +     \
		     VMSA_PAGE_SIZE - 1) / VMSA_PAGE_SIZE))

vmsa_cpu_t model_cpu(const vmsa_pgt_model_t *bk)
{
	return bk->run ? vmsa_run_cpu(bk->run) : bk->cpu;
}

/*
 * A pointer to size bytes of the state pages at pa, for use before the
 * next step only: every page of the range is marked written (the next
 * restore of a snapshot copies those back), none exposed. vmsa_pa_ptr()
 * would expose the whole allocation, the per-CPU state and every count
 * (512 pages with 2 GiB of memory), which every restore must then
 * compare with the snapshot: a third of the time of a search.
 */
static void *state_ptr(const vmsa_pgt_model_t *bk, vmsa_pa_t pa, size_t size)
{
	void *p = mem_ptr(&bk->m->mem, pa);

	for (vmsa_pa_t pg = (pa & ~(vmsa_pa_t)(VMSA_PAGE_SIZE - 1)) +
			    VMSA_PAGE_SIZE;
	     p && pg < pa + size; pg += VMSA_PAGE_SIZE)
		mem_ptr(&bk->m->mem, pg);
	return p;
}

/*
 * The owner's address of the model memory at pa (NULL outside memory):
 * a token the library only hands back to the operations (read, write,
 * cas, cmo, get/put/free_page, virt_to_phys), which turn it into a PA
 * again; the library never loads or stores through it (every access to
 * a table goes through the operations, docs/pgtable.md, "Backends"). So
 * the page is not exposed as vmsa_pa_ptr() would expose it: every
 * restore would compare the whole allocation with the snapshot (for a
 * 2 MiB block the library cleans to the PoC, 512 pages: a third of a
 * search's time), and a table page's walks could not use the model's
 * translation fast path.
 */
static void *owner_ptr(const vmsa_pgt_model_t *bk, vmsa_pa_t pa)
{
	return (void *)(uintptr_t)mem_cptr(&bk->m->mem, pa);
}

struct model_cpu_state *model_cpu_state(const vmsa_pgt_model_t *bk,
					vmsa_cpu_t cpu)
{
	return state_ptr(bk, bk->state_pa +
			 (vmsa_pa_t)cpu * sizeof(struct model_cpu_state),
			 sizeof(struct model_cpu_state));
}

/* The reference count word of the table page at pa, or NULL when pa is
 * not the start of a table page in memory. */
static uint32_t *ref_word(const vmsa_pgt_model_t *bk, vmsa_pa_t pa,
			  vmsa_pa_t *word_pa)
{
	unsigned shift = vmsa_granule_shift(bk->granule);
	uint64_t i;

	if (pa < bk->mem_base || (pa & ((1ull << shift) - 1)))
		return NULL;
	i = (pa - bk->mem_base) >> shift;
	if (i >= bk->n_refs)
		return NULL;
	*word_pa = bk->state_pa + CPU_STATE_PAGES * VMSA_PAGE_SIZE +
		   i * sizeof(uint32_t);
	return state_ptr(bk, *word_pa, sizeof(uint32_t));
}

/* A mistake of the library found by the backend: the execution stops
 * with a violation of `kind` naming it (the explorer may not return
 * here). */
static void lib_error(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
		      vmsa_violation_kind_t kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void lib_error(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu,
		      vmsa_violation_kind_t kind, const char *fmt, ...)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "pgtable model backend: ");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	vmsa_report(bk->m, cpu, kind, msg);
}

/* What a pointer the library passed is, for a message: never its host
 * address, so that reports are the same from run to run. */
struct where {
	char s[64];
};

static struct where where(vmsa_pa_t pa)
{
	struct where w;

	if (pa == VMSA_BAD_PA)
		snprintf(w.s, sizeof(w.s), "a pointer outside model memory");
	else
		snprintf(w.s, sizeof(w.s), "PA 0x%" PRIx64 ", not a table "
			 "page's start", pa);
	return w;
}

/* The count of the page at p for operation `fn`: its word, or NULL after
 * reporting why there is none (p outside memory or not a table page, or
 * a page that is free: the library holds a reference to a page it freed,
 * a use after free). */
static uint32_t *page_ref(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu, void *p,
			  const char *fn)
{
	vmsa_pa_t pa = vmsa_ptr_pa(bk->m, p), wpa;
	uint32_t *w;

	if (vmsa_stopped(bk->m))
		return NULL;
	w = pa == VMSA_BAD_PA ? NULL : ref_word(bk, pa, &wpa);
	if (!w) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "%s of %s", fn,
			  where(pa).s);
		return NULL;
	}
	if (vmsa_page_is_free(bk->m, pa)) {
		lib_error(bk, cpu, VMSA_V_UAF, "%s of the table page at PA "
			  "0x%" PRIx64 ", which is free", fn, pa);
		return NULL;
	}
	/* Shared with the other CPUs' updates: visible to the reduction. */
	fp_line(bk->m, wpa, true);
	return w;
}

/* ------------------------------------------------------------------ */
/* Descriptors                                                         */
/* ------------------------------------------------------------------ */

uint64_t model_read(void *ctx, uint64_t *ptep)
{
	vmsa_pgt_model_t *bk = ctx;

	return vmsa_desc_read(bk->m, model_cpu(bk), ptep);
}

/*
 * A store-release is an ordinary descriptor store here. Explicit
 * accesses are sequentially consistent in the model (each is one atomic
 * step on one memory), so software walkers on other CPUs already see the
 * CPU's stores in program order, as STLR would order them. Translation
 * table walks are not ordered by release semantics on hardware either:
 * a store becomes visible to walks at the writer's next DSB at the
 * latest (RSPVBD), which the model implements; the library's make store
 * follows a DSB that completed the cache maintenance before it.
 */
void model_write(void *ctx, uint64_t *ptep, uint64_t v, bool release)
{
	vmsa_pgt_model_t *bk = ctx;

	(void)release;
	vmsa_desc_write(bk->m, model_cpu(bk), ptep, v);
}

uint64_t model_cas(void *ctx, uint64_t *ptep, uint64_t old, uint64_t new_)
{
	vmsa_pgt_model_t *bk = ctx;

	return vmsa_desc_cas(bk->m, model_cpu(bk), ptep, old, new_);
}

/* ------------------------------------------------------------------ */
/* Barriers and maintenance                                            */
/* ------------------------------------------------------------------ */

void model_dsb(void *ctx, vmsa_pgt_dsb_t kind)
{
	static const vmsa_barrier_t bar[] = {
		[VMSA_PGT_DSB_ISHST] = VMSA_BAR_ISHST,
		[VMSA_PGT_DSB_ISH] = VMSA_BAR_ISH,
		[VMSA_PGT_DSB_NSHST] = VMSA_BAR_NSHST,
		[VMSA_PGT_DSB_NSH] = VMSA_BAR_NSH,
	};
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);

	if (cpu < 0)
		return;
	if ((unsigned)kind >= sizeof(bar) / sizeof(bar[0])) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "dsb of unknown kind %u",
			  (unsigned)kind);
		return;
	}
	vmsa_dsb(bk->m, cpu, bar[kind]);
}

void model_isb(void *ctx)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);

	if (cpu >= 0)
		vmsa_isb(bk->m, cpu);
}

/*
 * A TLBI for the guest: at EL2, a stage-2 or EL1&0 operation (but ALLE1,
 * which covers every VMID) for another VMID than the one in the CPU's
 * VTTBR_EL2, or issued with E2H = TGE = 1 (where the EL1 operations would
 * act on EL2&0), switches to the guest's context around it: VMID written
 * into VTTBR_EL2 (its table base kept: it does not translate EL2's own
 * accesses), HCR_EL2.TGE cleared, ISB, the TLBI, everything restored,
 * ISB; as KVM's __tlb_switch_to_guest() / __tlb_switch_to_host(). The
 * TLBI takes the VMID when it executes (RNWYRD). At EL1 the VMID is the
 * one the hypervisor gave: nothing to switch. Reading the CPU's own
 * registers is not a step (an MRS has no effect another CPU can see).
 */
void model_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	const struct cpu *c;
	uint64_t vttbr, vtcr, hcr, mask;
	bool tge, other;

	if (cpu < 0)
		return;
	if (!t || (unsigned)t->op.type >= VMSA_TLBI_N_TYPES) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "tlbi without an operation");
		return;
	}
	c = &bk->m->cpu[cpu];
	if (c->el != 2 || vmsa_tlbi_info(t->op.type)->el != 1 ||
	    t->op.type == VMSA_TLBI_ALLE1) {
		vmsa_tlbi(bk->m, cpu, t->op, t->xt);
		return;
	}
	vttbr = c->regs.r[VMSA_REG_VTTBR_EL2];
	vtcr = c->regs.r[VMSA_REG_VTCR_EL2];
	hcr = c->regs.r[VMSA_REG_HCR_EL2];
	tge = (hcr & VMSA_HCR_E2H) && (hcr & VMSA_HCR_TGE);
	other = vmsa_vmid(vttbr, vtcr) != t->vmid;
	if (!other && !tge) {
		vmsa_tlbi(bk->m, cpu, t->op, t->xt);
		return;
	}
	mask = (vtcr & VMSA_VTCR_VS) ? 0xffffull : 0xffull;
	if (t->vmid > mask) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "tlbi for VMID %u, which "
			  "VTTBR_EL2 cannot hold (VTCR_EL2.VS = 0)", t->vmid);
		return;
	}
	if (other)
		vmsa_msr(bk->m, cpu, VMSA_REG_VTTBR_EL2,
			 (vttbr & ~(mask << 48)) | (uint64_t)t->vmid << 48);
	if (tge)
		vmsa_msr(bk->m, cpu, VMSA_REG_HCR_EL2, hcr & ~VMSA_HCR_TGE);
	vmsa_isb(bk->m, cpu);
	vmsa_tlbi(bk->m, cpu, t->op, t->xt);
	if (tge)
		vmsa_msr(bk->m, cpu, VMSA_REG_HCR_EL2, hcr);
	if (other)
		vmsa_msr(bk->m, cpu, VMSA_REG_VTTBR_EL2, vttbr);
	vmsa_isb(bk->m, cpu);
}

/*
 * Data cache maintenance of the granule holding pa, by the VA of the data
 * in the CPU's current regime: PA + va_offset (docs/pgtable.md,
 * "Backends"). The model's DC acts on one 64-byte line: the first line
 * always (the instruction is issued, translated and ordered), then every
 * line out of sync with the PoC (or every line: cmo_every_line). A line
 * in sync at the call needs nothing; one that a racing CPU dirties during
 * the loop may be missed where the full loop would have reached it after
 * the store, but the full loop misses it too when the store comes after
 * that line's DC, an order the explorer also runs.
 */
static void dc_granule(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu, vmsa_dc_op_t op,
		       vmsa_pa_t pa)
{
	uint64_t size = (uint64_t)bk->granule_pages * VMSA_PAGE_SIZE;

	pa &= ~(size - 1);
	for (uint64_t off = 0; off < size && !vmsa_stopped(bk->m);
	     off += CACHE_LINE_SIZE)
		if (off == 0 || bk->cmo_every_line ||
		    cache_line_state(&bk->m->cache, pa + off) !=
			    CACHE_LINE_IN_SYNC)
			vmsa_dc(bk->m, cpu, op, pa + off + bk->va_offset);
}

/* Instruction caches are not modelled: IC IVAU translates its address
 * (and may fault). One per granule, or per line (cmo_every_line). */
static void ic_granule(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu, vmsa_pa_t pa)
{
	uint64_t size = (uint64_t)bk->granule_pages * VMSA_PAGE_SIZE;
	uint64_t step = bk->cmo_every_line ? CACHE_LINE_SIZE : size;

	pa &= ~(size - 1);
	for (uint64_t off = 0; off < size && !vmsa_stopped(bk->m); off += step)
		vmsa_ic(bk->m, cpu, VMSA_IC_IVAU, pa + off + bk->va_offset);
}

void model_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	static const vmsa_dc_op_t dc[] = {
		[VMSA_PGT_DC_CVAC] = VMSA_DC_CVAC,
		[VMSA_PGT_DC_CIVAC] = VMSA_DC_CIVAC,
		[VMSA_PGT_DC_CVAU] = VMSA_DC_CVAU,
	};
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	vmsa_pa_t pa;

	if (cpu < 0)
		return;
	if ((unsigned)op > VMSA_PGT_IC_IALLUIS) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "cache maintenance of "
			  "unknown kind %u", (unsigned)op);
		return;
	}
	if (op == VMSA_PGT_IC_IALLUIS) {
		vmsa_ic(bk->m, cpu, VMSA_IC_IALLUIS, 0);
		return;
	}
	pa = vmsa_ptr_pa(bk->m, va);
	if (pa == VMSA_BAD_PA) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "cache maintenance %u of a "
			  "pointer outside model memory", (unsigned)op);
		return;
	}
	if (op == VMSA_PGT_IC_IVAU)
		ic_granule(bk, cpu, pa);
	else
		dc_granule(bk, cpu, dc[op], pa);
}

/* ------------------------------------------------------------------ */
/* Table pages                                                         */
/* ------------------------------------------------------------------ */

/* One granule of model pages, zeroed by the allocator, aligned to its
 * size, with a count of 1. An allocation by a CPU is a step. */
void *model_zalloc_page(void *ctx)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_pa_t pa = vmsa_page_alloc(bk->m, model_cpu(bk), bk->granule_pages,
				       bk->granule_pages), wpa;
	uint32_t *w;

	if (pa == VMSA_BAD_PA)
		return NULL;
	w = ref_word(bk, pa, &wpa);
	fp_line(bk->m, wpa, true);
	*w = 1;
	return owner_ptr(bk, pa);
}

/* n granules (a concatenated stage-2 root), physically contiguous and
 * aligned to n granules (rounded up to a power of two, as the allocator
 * wants), in one allocation step; each granule is a table page of its
 * own with a count of 1, freed one by one. */
void *model_zalloc_pages(void *ctx, unsigned n)
{
	vmsa_pgt_model_t *bk = ctx;
	unsigned align = 1;
	vmsa_pa_t pa, wpa = 0;

	if (n < 1 || n > 16) {
		lib_error(bk, model_cpu(bk), VMSA_V_ASSERT, "zalloc_pages of "
			  "%u pages (1 to 16)", n);
		return NULL;
	}
	while (align < n)
		align *= 2;
	pa = vmsa_page_alloc(bk->m, model_cpu(bk), n * bk->granule_pages,
			     align * bk->granule_pages);
	if (pa == VMSA_BAD_PA)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		uint32_t *w = ref_word(bk, pa + (uint64_t)i *
				       bk->granule_pages * VMSA_PAGE_SIZE, &wpa);

		fp_line(bk->m, wpa, true);
		*w = 1;
	}
	return owner_ptr(bk, pa);
}

/* Freeing a page whose count is not 0 is the library's mistake; freeing
 * a free page is the model's double-free. */
void model_free_page(void *ctx, void *page)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	vmsa_pa_t pa = vmsa_ptr_pa(bk->m, page), wpa;
	uint32_t *w = pa == VMSA_BAD_PA ? NULL : ref_word(bk, pa, &wpa);

	if (vmsa_stopped(bk->m))
		return;
	if (!w) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "free_page of %s",
			  where(pa).s);
		return;
	}
	if (!vmsa_page_is_free(bk->m, pa) && *w != 0) {
		lib_error(bk, cpu, VMSA_V_ASSERT, "free_page of the table page "
			  "at PA 0x%" PRIx64 " whose reference count is %" PRIu32,
			  pa, *w);
		return;
	}
	vmsa_page_free(bk->m, cpu, pa, bk->granule_pages);
}

static void model_get_page(void *ctx, void *page)
{
	vmsa_pgt_model_t *bk = ctx;
	uint32_t *w = page_ref(bk, model_cpu(bk), page, "get_page");

	if (w)
		++*w;
}

/* A put_page of a page whose count is already 0. */
static void put_of_zero(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu, void *page)
{
	lib_error(bk, cpu, VMSA_V_ASSERT, "put_page of the table page at PA "
		  "0x%" PRIx64 " whose reference count is 0",
		  vmsa_ptr_pa(bk->m, page));
}

static void model_put_page(void *ctx, void *page)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	uint32_t *w = page_ref(bk, cpu, page, "put_page");

	if (!w)
		return;
	if (*w == 0) {
		put_of_zero(bk, cpu, page);
		return;
	}
	--*w;
}

/*
 * delta get_page calls (delta > 0) or -delta put_page calls at once: a
 * new table's 512 references, a freed table's whole count. The calls
 * one by one would each make page_ref()'s checks of the same page, whose
 * outcome the count does not change (and record the same line of the
 * count's word), then move the count by one; the first put to find it at
 * 0 reports, and after that report the execution is stopped, so the
 * later calls do nothing. So: the checks once, then the count moved by
 * delta, or to 0 and the report of the put that would have found 0. No
 * steps either way: the library's per-entry loop (pgt_ref) cost a
 * thousand calls in each execution of a 2 MiB split and collapse.
 */
static void model_page_ref_add(void *ctx, void *page, int delta)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	uint32_t *w, down = delta < 0 ? (uint32_t)-(int64_t)delta : 0;

	if (!delta)
		return;
	w = page_ref(bk, cpu, page, delta > 0 ? "get_page" : "put_page");
	if (!w)
		return;
	if (*w < down) {
		*w = 0;
		put_of_zero(bk, cpu, page);
		return;
	}
	*w = delta > 0 ? *w + (uint32_t)delta : *w - down;
}

static int model_page_count(void *ctx, void *page)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_cpu_t cpu = model_cpu(bk);
	vmsa_pa_t pa = vmsa_ptr_pa(bk->m, page), wpa;
	uint32_t *w = pa == VMSA_BAD_PA ? NULL : ref_word(bk, pa, &wpa);

	if (!w) {
		if (!vmsa_stopped(bk->m))
			lib_error(bk, cpu, VMSA_V_ASSERT, "page_count of %s",
				  where(pa).s);
		return 0;
	}
	fp_line(bk->m, wpa, false);
	return (int)*w;
}

/* ------------------------------------------------------------------ */
/* The owner's view of memory                                          */
/* ------------------------------------------------------------------ */

/* Host pointers into model memory are the library's "virtual"
 * addresses; the model maps them back to physical addresses. */
static vmsa_pgt_pa_t model_virt_to_phys(void *ctx, void *va)
{
	vmsa_pgt_model_t *bk = ctx;
	vmsa_pa_t pa = vmsa_ptr_pa(bk->m, va);

	if (pa == VMSA_BAD_PA && !vmsa_stopped(bk->m))
		lib_error(bk, model_cpu(bk), VMSA_V_ASSERT, "virt_to_phys of a "
			  "pointer outside model memory");
	return VMSA_PGT_PA(pa);
}

/* NULL for a PA outside memory (device memory the tables may map). */
static void *model_phys_to_virt(void *ctx, vmsa_pgt_pa_t pa)
{
	vmsa_pgt_model_t *bk = ctx;

	return owner_ptr(bk, pa.pa);
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

void model_ops_install(vmsa_pgt_model_t *bk)
{
	vmsa_pgt_ops_t *o = &bk->ops;

	o->ctx = bk;
	o->read = model_read;
	o->write = model_write;
	o->cas = model_cas;
	o->dsb = model_dsb;
	o->isb = model_isb;
	o->tlbi = model_tlbi;
	o->cmo = model_cmo;
	o->zalloc_page = model_zalloc_page;
	o->zalloc_pages = model_zalloc_pages;
	o->free_page = model_free_page;
	o->get_page = model_get_page;
	o->put_page = model_put_page;
	o->page_ref_add = model_page_ref_add;
	o->page_count = model_page_count;
	o->virt_to_phys = model_virt_to_phys;
	o->phys_to_virt = model_phys_to_virt;
}

static vmsa_pgt_features_t features_of(const vmsa_features_t *f)
{
	vmsa_pgt_features_t pf = {
		.bbm_level = f->bbm_level,
		.bbm2_noabort = !f->bbm_may_abort,
		.tlbirange = f->tlbirange,
		.s2fwb = f->s2fwb,
		.dic = f->dic,
		.idc = f->idc,
	};

	return pf;
}

int vmsa_pgt_model_init(vmsa_pgt_model_t *bk, vmsa_machine_t *m,
			vmsa_run_t *r, const vmsa_pgt_model_cfg_t *cfg)
{
	const vmsa_features_t *f;
	uint64_t n_refs, ref_pages;
	unsigned shift;
	vmsa_pa_t pa;

	if (!bk || !m || !cfg ||
	    (r && (vmsa_run_machine(r) != m || vmsa_run_cpu(r) != VMSA_SETUP)) ||
	    (unsigned)cfg->granule > VMSA_GRANULE_64K)
		return -EINVAL;
	f = vmsa_machine_features(m);
	if (f->mem_base + f->mem_size - 1 + cfg->va_offset <
	    f->mem_base + f->mem_size - 1)
		return -EINVAL;
	shift = vmsa_granule_shift(cfg->granule);
	n_refs = f->mem_size >> shift;
	ref_pages = (n_refs * sizeof(uint32_t) + VMSA_PAGE_SIZE - 1) /
		    VMSA_PAGE_SIZE;
	/* The per-CPU state, then the counts: zeroed. */
	pa = vmsa_page_alloc(m, VMSA_SETUP, CPU_STATE_PAGES +
			     (unsigned)ref_pages, 1);
	if (pa == VMSA_BAD_PA)
		return -ENOMEM;
	memset(bk, 0, sizeof(*bk));
	bk->m = m;
	bk->run = r;
	bk->cpu = VMSA_SETUP;
	bk->granule = cfg->granule;
	bk->granule_pages = (1u << shift) / VMSA_PAGE_SIZE;
	bk->va_offset = cfg->va_offset;
	bk->cmo_every_line = cfg->cmo_every_line;
	bk->mem_base = f->mem_base;
	bk->n_refs = n_refs;
	bk->state_pa = pa;
	bk->state_pages = CPU_STATE_PAGES + (unsigned)ref_pages;
	bk->mut.kind = VMSA_PGT_MUT_NONE;
	model_ops_install(bk);
	bk->ops.features = features_of(f);
	return 0;
}

int vmsa_pgt_model_set_cpu(vmsa_pgt_model_t *bk, vmsa_cpu_t cpu)
{
	if (!bk || bk->run || cpu < VMSA_SETUP ||
	    (cpu >= 0 && (unsigned)cpu >= vmsa_machine_features(bk->m)->ncpus))
		return -EINVAL;
	bk->cpu = cpu;
	return 0;
}

int vmsa_pgt_model_refcount(const vmsa_pgt_model_t *bk, vmsa_pa_t pa)
{
	vmsa_pa_t wpa;
	const uint32_t *w;

	if (!bk)
		return -EINVAL;
	w = ref_word(bk, pa, &wpa);
	return w ? (int)*w : -EINVAL;
}
