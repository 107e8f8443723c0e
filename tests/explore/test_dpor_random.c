/*
 * The reduction's differential test: small scenarios drawn from a seeded
 * generator (2 or 3 CPUs; descriptor writes, TLBIs, DSBs, ISBs, reads
 * through translation, AT, plain data accesses) are searched with and
 * without partial-order reduction, going on after violations
 * (explore_outcomes), and must reach the same SET of outcomes: each
 * violation's kind and message, and the final state of each execution
 * that ends without one (what every read returned, the descriptors and
 * the data word). Deterministic: the seeds are fixed, and a failure
 * names the seed. DPOR_SEED_SHIFT=N runs every generator on its seeds
 * plus N instead (a wider run, by hand: docs/explorer.md, "Why the
 * reduction is sound"); the counts of programs each set leaves out
 * (left_out) are then not checked, they are the fixed sets'.
 *
 * The two slots' descriptors are neighbours in one 64-byte line, so the
 * programs exercise the dependency relation's words (a store to one
 * slot and a walk of the other are independent) and its TLB objects (a
 * TLBI by VA of one slot and a walk of the other). The extended programs
 * (prog.ext) also set and clear the Contiguous bit, and read and write
 * the descriptors as plain data (a whole-line access). The allocation
 * programs (prog.alloc) allocate and free pages while the other CPU
 * walks and reads (footprint.h, fp_page_*).
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "explore/explore_int.h"
#include "model/cache.h"
#include "model/machine.h"
#include "vmsa/vmsa.h"

/* DPOR_SEED_SHIFT, or 0: added to every seed of the file's loops. */
static uint64_t seed_shift(void)
{
	static int read;
	static uint64_t shift;

	if (!read) {
		const char *e = getenv("DPOR_SEED_SHIFT");

		shift = e ? strtoull(e, NULL, 0) : 0;
		read = 1;
	}
	return shift;
}

enum op_kind {
	OP_DW,		/* descriptor write: slot, value (0 invalid, 1, 2;
			   extended: 3, page 0 with the Contiguous bit) */
	OP_TLBI,	/* a: 0 VAE1IS slot, 1 VMALLE1IS, 2 VAE1 slot, 3
			   VMALLE1 (context programs) */
	OP_DSB,		/* a: 0 ISH, 1 ISHST */
	OP_ISB,
	OP_READ,	/* through translation: slot (EL1 only) */
	OP_AT,		/* AT S1E1R of slot, then MRS PAR_EL1 (EL1 only) */
	OP_PW,		/* data word := cpu + 1 (extended, a = 1: slot b's
			   descriptor := the other slot's page, as data) */
	OP_PR,		/* read the data word (extended, a = 1: slot b's
			   descriptor, as data) */
	OP_ALLOC,	/* allocate a page (allocation programs; with
			   prog.big and b = 1, many: a = 0 20 pages 16-page
			   aligned, 1 a 2 MiB block) */
	OP_FREE,	/* free: a = 0 page 1 (slot 1's), 1 the CPU's last
			   allocation (page 0 when none) */
	OP_ISFREE,	/* whether pages 1 and the last allocated are free,
			   and how many are (with prog.big and b = 1:
			   whether the last page of block_pa is free) */
	OP_AREAD,	/* read the first word of the last page of the
			   CPU's last allocation (page 1 when none; with
			   prog.big and b = 1, of the 2 MiB block an
			   allocation of one takes: block_pa) */
	OP_WAIT,	/* wait until the data word is what the next CPU's
			   OP_PW writes (wait programs) */
	OP_WV,		/* data word := b (0 .. 3: any CPU may write the
			   value another waits for, and overwrite it) */
	OP_WAITX,	/* a: 0 wait until the data word is b, 1 until it
			   is not b, 2 until its low bit is b's */
	OP_LOCK,	/* vmsa_lock() of the lock word, data word += 4,
			   vmsa_unlock() */
	OP_ADD,		/* vmsa_phys_add of the data word: adds[a] */
	OP_CASX,	/* vmsa_phys_cas of the data word: b -> b + 1 */
	OP_CR,		/* read word b of the data line, a: 0 cacheable,
			   1 non-cacheable (cache programs) */
	OP_CW,		/* word b of the data line := cpu + 1 + 4 b, a: 0
			   cacheable, 1 non-cacheable */
	OP_DC,		/* DC of the data line, a: 0 CVAC, 1 CIVAC, 2 IVAC
			   (at EL2, MMU off: VA = PA) */
	OP_LINK,	/* the level-2 entry of the slots' 2 MiB (structure
			   programs): a = 0 a table descriptor of l3, 1 of
			   the spare table t2, 2 invalid; b = 1: written as
			   set-up is (VMSA_SETUP) inside the CPU's step */
	OP_TW,		/* a data write (vmsa_phys_write) of slot b's word
			   in a = 0 t2, 1 l3: the page that table does not
			   map there at set-up (a descriptor store when that
			   table is linked and its context cached, else
			   data) */
	OP_TR,		/* a data read of slot b's word in t2 */
	OP_FREAD,	/* read the data word; when it is 3 (an OP_WV's),
			   translate slot a (a read): 1 + the value read,
			   else 0 (the walk comes after that write) */
	OP_DROP,	/* read the data word (a = 1: slot b through
			   translation); when it is b (a = 1: when the
			   read faulted), the execution is dropped: the
			   CPU stops, and with drop_ends the explorer ends
			   the execution (explore_end) */
	OP_CTX,		/* context programs: a = 0 TTBR0_EL1 := the
			   kernel's, 1 := a context of the CPU's own
			   (ctx_root: an empty table, another ASID), 2 at
			   EL2 the kernel's EL1 registers (no ERET) */
	OP_KINDS
};

struct op {
	enum op_kind k;
	unsigned a, b;
};

#define MAX_OPS 7

static struct prog {
	unsigned ncpus;
	bool ext;			/* the extended operations */
	bool alloc;			/* the allocation programs: OP_DW's
					   value 3 maps the CPU's last
					   allocated page */
	bool big;			/* OP_ALLOC may take many pages */
	bool faults;			/* the outcome counts each CPU's
					   faults */
	bool structure;			/* the structure programs: the
					   spare table t2, OP_LINK, OP_TW */
	bool drops;			/* the drop programs: OP_DROP, and
					   drop_data in the run data */
	bool ctx;			/* the context programs: ctx_root */
	bool el1[3];			/* enters the kernel's EL1 first */
	/* The cache programs: the data line's state after set-up (0 in
	 * sync, 1 dirty, 2 stale: word 1 written at set-up), and the
	 * outcome holds what a cacheable and a non-cacheable read of its
	 * words 0 and 1 would return at the end, and its state. */
	bool cache;
	unsigned cache_init;
	unsigned nops[3];
	struct op ops[3][MAX_OPS];
} prog;

/* What each CPU's reads returned in the current execution, and how many
 * faults it took. */
static uint64_t got[3][MAX_OPS];
static unsigned n_faults[3];

/* The drop programs (OP_DROP): which CPUs dropped the current execution,
 * in the run data after the kernel's (restored before each execution),
 * and whether a drop ends the execution (explore_end) or only stops its
 * CPU while the others go on. */
struct drop_data {
	struct vmsa_kernel k;
	bool dropped[3];
};

static bool *dropped_of(vmsa_run_t *r)
{
	return ((struct drop_data *)vmsa_run_data(r))->dropped;
}

static bool drop_ends;

/* Each CPU's last allocated page in the current execution (0: none),
 * and how many pages that allocation took. */
static vmsa_pa_t last_alloc[3];
static unsigned last_n[3];

/* Where an allocation of a 2 MiB block lands (set-up finds it). */
static vmsa_pa_t block_pa;

/* The structure programs' spare level-3 table (set-up allocates it): it
 * maps each slot to the other slot's page. */
static vmsa_pa_t t2_pa;
/* The context programs' own level-1 table (empty). */
static vmsa_pa_t ctx_root;

static const vmsa_va_t slot_va[2] = {VMSA_KERNEL_VA, VMSA_KERNEL_VA_NEW};

/* The data word: in the kernel's flag page, after the flag. */
static vmsa_pa_t data_pa(vmsa_run_t *r)
{
	return vmsa_kernel_of(r)->flag + 64;
}

/* The lock word of OP_LOCK: a line of its own. */
static vmsa_pa_t lock_pa(vmsa_run_t *r)
{
	return vmsa_kernel_of(r)->flag + 128;
}

/* The waits of OP_WAITX. */
static uint64_t wait_x(vmsa_run_t *r, vmsa_cpu_t cpu, const struct op *o)
{
	if (o->a == 0)
		return vmsa_wait_eq(r, cpu, data_pa(r), ~0ull, o->b);
	if (o->a == 1)
		return vmsa_wait_ne(r, cpu, data_pa(r), ~0ull, o->b);
	return vmsa_wait_eq(r, cpu, data_pa(r), 1, o->b & 1);
}

/* The atomic adds of OP_ADD (delta, mask), vmsa_phys_add. The split of
 * a commuting add is its delta's lowest set bit; it commutes with the
 * adds of its split (footprint.h, FP_SUB_ADD). */
static const struct {
	uint64_t delta, mask;
} adds[] = {
	{2, 1},		/* a reader's lock: split 1 */
	{-2ull, 0},	/* a reader's unlock: split 1 */
	{-1ull, 0},	/* a writer's unlock: split 0 */
	{1, 1},		/* observes the bit it changes: no split */
	{3, 4},		/* carries into the bit it observes: no split */
	{4, 3},		/* split 2 */
	{8, 0},		/* split 3, observes nothing */
	{0, ~0ull},	/* changes nothing, observes everything: split 64 */
};

/* OP_LOCK: a critical section that increments the data word. */
static uint64_t locked_add(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_lock(r, cpu, lock_pa(r));
	v = vmsa_phys_read(m, cpu, data_pa(r), 8, true);
	vmsa_phys_write(m, cpu, data_pa(r), 8, v + 4, true);
	vmsa_unlock(r, cpu, lock_pa(r));
	return v;
}

static vmsa_pa_t alloc_or(vmsa_cpu_t cpu, vmsa_pa_t other)
{
	return last_alloc[cpu] ? last_alloc[cpu] : other;
}

static uint64_t slot_value(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned v)
{
	const struct vmsa_kernel *k = vmsa_kernel_of(r);

	if (v == 3 && prog.alloc)
		return vmsa_kernel_pte(alloc_or(cpu, k->page[0]));
	if (v == 3)
		return vmsa_kernel_pte(k->page[0]) | VMSA_D_CONT;
	return v == 0 ? 0 : vmsa_kernel_pte(k->page[v - 1]);
}

/* The level-2 descriptor of the slots' 2 MiB, and slot s's word in
 * table t (l3 or t2). */
static vmsa_pa_t l2_slot(const struct vmsa_kernel *k)
{
	return k->l2 + 8 * ((slot_va[0] >> 21) & 511);
}

static vmsa_pa_t word_in(vmsa_pa_t t, unsigned s)
{
	return t + 8 * ((slot_va[s] >> 12) & 511);
}

static uint64_t link_value(const struct vmsa_kernel *k, unsigned a)
{
	return a == 2 ? 0 : vmsa_desc_make_table(a ? t2_pa : k->l3,
						 VMSA_GRANULE_4K);
}

/* OP_CTX: the context programs' change of context. */
static void run_ctx(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned a)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct vmsa_kernel *k = vmsa_kernel_of(r);

	if (a == 2) {
		vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
		vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
		vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	}
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 a == 1 ? VMSA_TTBR(ctx_root, VMSA_KERNEL_ASID + 1) :
			  VMSA_TTBR(k->l1, VMSA_KERNEL_ASID));
}

static void run_op(vmsa_run_t *r, vmsa_cpu_t cpu, const struct op *o,
		   uint64_t *out)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct vmsa_kernel *k = vmsa_kernel_of(r);

	switch (o->k) {
	case OP_DW:
		vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, slot_va[o->a]),
				   slot_value(r, cpu, o->b));
		break;
	case OP_TLBI:
		if (o->a == 1 || o->a == 3) {
			vmsa_tlbi_op_t op = {.type = VMSA_TLBI_VMALLE1,
					     .sh = o->a == 1 ? VMSA_TLBI_IS :
							       VMSA_TLBI_NSH};

			vmsa_tlbi(m, cpu, op, 0);
		} else {
			vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAE1,
					    o->a ? VMSA_TLBI_NSH : VMSA_TLBI_IS,
					    slot_va[o->b]);
		}
		break;
	case OP_DSB:
		vmsa_dsb(m, cpu, o->a ? VMSA_BAR_ISHST : VMSA_BAR_ISH);
		break;
	case OP_ISB:
		vmsa_isb(m, cpu);
		break;
	case OP_READ:
		vmsa_read(m, cpu, slot_va[o->a], 8, out);
		break;
	case OP_AT:
		vmsa_at(m, cpu, VMSA_AT_S1E1R, slot_va[o->a]);
		*out = vmsa_mrs(m, cpu, VMSA_REG_PAR_EL1);
		break;
	case OP_PW:
		if (prog.ext && o->a)
			vmsa_phys_write(m, cpu,
					vmsa_kernel_pte_pa(k, slot_va[o->b]), 8,
					slot_value(r, cpu, 2 - o->b), true);
		else
			vmsa_phys_write(m, cpu, data_pa(r), 8,
					(uint64_t)cpu + 1, true);
		break;
	case OP_PR:
		if (prog.ext && o->a)
			*out = vmsa_phys_read(m, cpu, vmsa_kernel_pte_pa(
						      k, slot_va[o->b]), 8, true);
		else
			*out = vmsa_phys_read(m, cpu, data_pa(r), 8, true);
		break;
	case OP_ALLOC: {
		bool big = prog.big && o->b;
		unsigned n = big ? (o->a ? 512 : 20) : 1;

		last_alloc[cpu] = vmsa_page_alloc(m, cpu, n,
						  big ? (o->a ? 512 : 16) : 1);
		*out = last_alloc[cpu] == VMSA_BAD_PA ? 1 :
		       last_alloc[cpu] - k->flag;
		last_n[cpu] = n;
		if (last_alloc[cpu] == VMSA_BAD_PA)
			last_alloc[cpu] = 0;
		break;
	}
	case OP_FREE:
		if (o->a && last_alloc[cpu])
			vmsa_page_free(m, cpu, last_alloc[cpu], last_n[cpu]);
		else
			vmsa_page_free(m, cpu, o->a ? k->page[0] : k->page[1],
				       1);
		break;
	case OP_ISFREE:
		if (prog.big && o->b) {
			*out = vmsa_page_is_free(m, block_pa + 511 *
						 VMSA_PAGE_SIZE);
			break;
		}
		*out = vmsa_page_is_free(m, k->page[1]) |
		       vmsa_page_is_free(m, alloc_or(cpu, k->page[0])) << 1 |
		       vmsa_pages_free(m) << 2;
		break;
	case OP_AREAD:
		if (prog.big && o->b) {
			*out = vmsa_phys_read(m, cpu, block_pa + 511 *
					      VMSA_PAGE_SIZE, 8, true);
			break;
		}
		*out = vmsa_phys_read(m, cpu, last_alloc[cpu] ?
				      last_alloc[cpu] + (last_n[cpu] - 1) *
				      VMSA_PAGE_SIZE : k->page[1], 8, true);
		break;
	case OP_WAIT:
		*out = vmsa_wait_eq(r, cpu, data_pa(r), ~0ull,
				    (uint64_t)(cpu + 1) % prog.ncpus + 1);
		break;
	case OP_WV:
		vmsa_phys_write(m, cpu, data_pa(r), 8, o->b, true);
		break;
	case OP_WAITX:
		*out = wait_x(r, cpu, o);
		break;
	case OP_LOCK:
		*out = locked_add(r, cpu);
		break;
	case OP_ADD:
		*out = vmsa_phys_add(m, cpu, data_pa(r), 8, adds[o->a].delta,
				     adds[o->a].mask, true);
		break;
	case OP_CASX:
		*out = vmsa_phys_cas(m, cpu, data_pa(r), 8, o->b, o->b + 1,
				     true);
		break;
	case OP_CR:
		*out = vmsa_phys_read(m, cpu, data_pa(r) + 8 * o->b, 8, !o->a);
		break;
	case OP_CW:
		vmsa_phys_write(m, cpu, data_pa(r) + 8 * o->b, 8,
				(uint64_t)cpu + 1 + 4 * o->b, !o->a);
		break;
	case OP_DC: {
		static const vmsa_dc_op_t dc[] = {VMSA_DC_CVAC, VMSA_DC_CIVAC,
						  VMSA_DC_IVAC};

		vmsa_dc(m, cpu, dc[o->a], data_pa(r));
		break;
	}
	case OP_LINK:
		vmsa_desc_write_pa(m, o->b ? VMSA_SETUP : cpu, l2_slot(k),
				   link_value(k, o->a));
		break;
	case OP_TW:
		vmsa_phys_write(m, cpu, word_in(o->a ? k->l3 : t2_pa, o->b), 8,
				vmsa_kernel_pte(k->page[o->a ? 1 - o->b : o->b]),
				true);
		break;
	case OP_TR:
		*out = vmsa_phys_read(m, cpu, word_in(t2_pa, o->b), 8, true);
		break;
	case OP_FREAD:
		*out = 0;
		if (vmsa_phys_read(m, cpu, data_pa(r), 8, true) == 3 &&
		    vmsa_read(m, cpu, slot_va[o->a], 8, out))
			(*out)++;
		break;
	case OP_DROP:
		if (o->a) {
			unsigned f = n_faults[cpu];

			*out = 1;
			(void)vmsa_read(m, cpu, slot_va[o->b & 1], 8, out);
			dropped_of(r)[cpu] = n_faults[cpu] != f;
		} else {
			*out = vmsa_phys_read(m, cpu, data_pa(r), 8, true);
			dropped_of(r)[cpu] = *out == o->b;
		}
		if (dropped_of(r)[cpu] && drop_ends)
			explore_end(r);
		break;
	case OP_CTX:
		run_ctx(r, cpu, o->a);
		break;
	case OP_KINDS:
		break;
	}
}

static void cpu_fn(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(got[cpu], 0, sizeof(got[cpu]));
	last_alloc[cpu] = 0;
	last_n[cpu] = 0;
	n_faults[cpu] = 0;
	if (prog.el1[cpu])
		vmsa_kernel_enter(r, cpu);
	for (unsigned i = 0; i < prog.nops[cpu]; i++) {
		if (vmsa_stopped(vmsa_run_machine(r)) ||
		    (prog.drops && dropped_of(r)[cpu]))
			return;
		run_op(r, cpu, &prog.ops[cpu][i], &got[cpu][i]);
	}
}

/* Both pages mapped to begin with: VA_NEW -> page[1] too. */
static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct vmsa_kernel *k;

	vmsa_kernel_setup(r);
	k = vmsa_kernel_of(r);
	vmsa_desc_write_pa(m, VMSA_SETUP, vmsa_kernel_pte_pa(k, slot_va[1]),
			   vmsa_kernel_pte(k->page[1]));
	/* The cache programs' data line: dirty or stale (word 1 = 9). */
	if (prog.cache && prog.cache_init)
		vmsa_phys_write(m, VMSA_SETUP, vmsa_kernel_of(r)->flag + 72, 8,
				9, prog.cache_init == 1);
	if (prog.big) {
		block_pa = vmsa_page_alloc(m, VMSA_SETUP, 512, 512);
		vmsa_page_free(m, VMSA_SETUP, block_pa, 512);
	}
	if (prog.ctx)
		ctx_root = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	if (prog.structure) {
		t2_pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
		for (unsigned s = 0; s < 2; s++)
			vmsa_desc_write_pa(m, VMSA_SETUP, word_in(t2_pa, s),
					   vmsa_kernel_pte(k->page[1 - s]));
	}
}

/* The structure programs' fault handler: when the level-2 entry leads
 * to t2, map the slot's own page there; else link l3 again and map the
 * slot's page in it (DSB, ISB); the access is retried. */
static void map_struct(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	const struct vmsa_kernel *k = vmsa_kernel_of(r);
	unsigned s = e->far == slot_va[1];

	n_faults[cpu]++;
	if (vmsa_desc_read_pa(m, cpu, l2_slot(k)) == link_value(k, 1)) {
		vmsa_desc_write_pa(m, cpu, word_in(t2_pa, s),
				   vmsa_kernel_pte(k->page[s]));
	} else {
		vmsa_desc_write_pa(m, cpu, l2_slot(k), link_value(k, 0));
		vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, slot_va[s]),
				   vmsa_kernel_pte(k->page[s]));
	}
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

/* A fault at EL1 maps the faulting slot's own page again (as a demand
 * pager would: store, DSB, ISB) and the access is retried. */
static void map_again(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	const struct vmsa_kernel *k = vmsa_kernel_of(r);
	unsigned s = e->far == slot_va[1];

	n_faults[cpu]++;

	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, slot_va[s]),
			   vmsa_kernel_pte(k->page[s]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* Operation kinds by weight: mostly descriptor writes and reads, so
 * that the order of the CPUs matters. */
static const enum op_kind weighted[] = {
	OP_DW, OP_DW, OP_DW, OP_READ, OP_READ, OP_READ, OP_TLBI, OP_TLBI,
	OP_DSB, OP_DSB, OP_ISB, OP_AT, OP_PW, OP_PR,
};

/* The races of dpor_random_windows: descriptor stores against context
 * synchronisation events (ISB; a fault's handler ends with one) and
 * DSBs, with walks after them. */
static const enum op_kind windows[] = {
	OP_DW, OP_DW, OP_DW, OP_ISB, OP_ISB, OP_READ, OP_READ, OP_DSB,
};

/* The windows mix with explicit accesses (data reads and writes) that
 * ETS2 would order walks after without relaxed. */
static const enum op_kind windows_explicit[] = {
	OP_DW, OP_DW, OP_ISB, OP_READ, OP_READ, OP_DSB, OP_PR, OP_PW,
};

/* The races of dpor_random_tlb_split: the TLB's parts (footprint.h,
 * fp_tlb_*). Stores to one slot give old values to the other CPU's TLB
 * (the part of that slot's page) while it walks the other slot's page,
 * and TLBIs by VA of one slot complete while the other is walked; a
 * TLBI VMALLE1IS (the whole TLB), AT and ISBs (a CPU's retiring
 * entries) mixed in. */
static const enum op_kind tlb_split[] = {
	OP_DW, OP_DW, OP_DW, OP_READ, OP_READ, OP_READ, OP_TLBI, OP_TLBI,
	OP_TLBI, OP_DSB, OP_DSB, OP_AT, OP_ISB,
};

/* The races of dpor_random_alloc: allocations and frees (footprint.h,
 * fp_page_*) against walks and reads of pages elsewhere, of the page
 * freed (slot 1's: a use after free) and of the page allocated (mapped
 * by a descriptor store, read physically), and against each other. */
static const enum op_kind alloc_mix[] = {
	OP_ALLOC, OP_ALLOC, OP_FREE, OP_FREE, OP_READ, OP_READ, OP_READ,
	OP_DW, OP_ISFREE, OP_AREAD, OP_DSB, OP_TLBI, OP_ISB,
};

/* The races of dpor_random_alloc_many: allocations of many pages and
 * their frees against reads of the pages they take. */
static const enum op_kind alloc_many_mix[] = {
	OP_ALLOC, OP_ALLOC, OP_FREE, OP_AREAD, OP_ISFREE, OP_ISFREE, OP_READ,
	OP_DW, OP_PW, OP_PR,
};

/* The races of dpor_random_waits: waits on the data word (which block
 * before their read under the reduction: src/explore/scenario.c,
 * wait()) against the writes that end them, with walks, stores and
 * faults around. */
static const enum op_kind waits[] = {
	OP_WAIT, OP_WAIT, OP_PW, OP_PW, OP_PR, OP_DW, OP_DW, OP_READ,
	OP_READ, OP_ISB, OP_DSB, OP_TLBI,
};

/* The races of dpor_random_waits' second half: waits of every kind
 * (equal, not equal, masked) on a word several CPUs write, each value
 * written by any of them (so that a CPU may write the value another
 * waits for and overwrite it before the waiter looks), and a lock. */
static const enum op_kind waits_x[] = {
	OP_WAITX, OP_WAITX, OP_WAITX, OP_WV, OP_WV, OP_WV, OP_WV, OP_LOCK,
	OP_LOCK, OP_PR, OP_DW, OP_READ, OP_ISB,
};

/* The races of dpor_random_adds: atomic adds of the data word, which
 * commute or not (adds[]), against plain reads and writes of it, CAS and
 * waits of every kind, with a walk and a store around. */
static const enum op_kind adds_mix[] = {
	OP_ADD, OP_ADD, OP_ADD, OP_ADD, OP_ADD, OP_ADD, OP_WV, OP_PR,
	OP_CASX, OP_WAITX, OP_READ, OP_DW,
};

/* The races of dpor_random_structure: changes of the table structure
 * (the level-2 entry linking l3, the spare table t2 or nothing; as a
 * CPU's descriptor store or as set-up inside a CPU's step) against data
 * writes and reads of t2 and l3 (descriptor stores or data, as the
 * structure at their page decides), walks, DSBs, ISBs and TLBIs. */
static const enum op_kind structure_mix[] = {
	OP_LINK, OP_LINK, OP_LINK, OP_TW, OP_TW, OP_TR, OP_READ, OP_READ,
	OP_DSB, OP_ISB, OP_TLBI, OP_PW, OP_PR,
};

/* The races of dpor_random_drops: reads that drop the execution (by the
 * value of the data word, or by a fault of a walk) against the writes
 * that decide them, with walks, stores, TLBIs and barriers around. */
static const enum op_kind drop_mix[] = {
	OP_DROP, OP_DROP, OP_DROP, OP_WV, OP_WV, OP_PR, OP_DW, OP_DW,
	OP_READ, OP_TLBI, OP_DSB, OP_ISB,
};

static const enum op_kind *kinds = weighted;
static bool gen_alloc;	/* generate allocation programs */
static bool gen_big;	/* ... whose allocations may take many pages */
static unsigned n_kinds = sizeof(weighted) / sizeof(weighted[0]);

/* A new program of ncpus CPUs from seed: the generator's state seeded,
 * everything else cleared. */
static void prog_start(uint64_t seed, unsigned ncpus)
{
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	memset(&prog, 0, sizeof(prog));
	prog.ncpus = ncpus;
}

/* A program: CPU0 (at EL2, MMU off, or at EL1) and the others (at EL1)
 * each make 2 .. ops + 1 operations. */
static void generate(uint64_t seed, unsigned ncpus, unsigned ops,
		     bool el1_cpu0, bool ext)
{
	prog_start(seed, ncpus);
	prog.ext = ext;
	prog.alloc = gen_alloc;
	prog.big = gen_big;
	for (unsigned c = 0; c < ncpus; c++) {
		prog.el1[c] = c > 0 || (el1_cpu0 && rnd(4) == 0);
		prog.nops[c] = 2 + rnd(ops);
		for (unsigned i = 0; i < prog.nops[c]; i++) {
			struct op *o = &prog.ops[c][i];

			do {
				o->k = kinds[rnd(n_kinds)];
			} while (!prog.el1[c] &&
				 (o->k == OP_READ || o->k == OP_AT));
			o->a = rnd(o->k == OP_ADD ? 8 :
				   o->k == OP_TLBI || o->k == OP_WAITX ? 3 : 2);
			o->a = o->k == OP_LINK ? rnd(3) : o->a;
			o->b = o->k == OP_LINK ? rnd(4) == 0 :
			       rnd(o->k == OP_DW ? 3 + (ext || prog.alloc) :
				   o->k == OP_WV || o->k == OP_WAITX ||
				   o->k == OP_CASX || o->k == OP_DROP ? 4 : 2);
		}
	}
}

/* A program of the races the TLB's parts cut under relaxed: CPU0 remaps
 * slot a with break-before-make (invalid, DSB, TLBI VAE1IS of it, DSB,
 * then the other page or its own again) and writes the data word before
 * the TLBI or after its DSB; CPU1 walks the other slot, reads the data
 * word (message passing: a walk of slot a after it that still hits the
 * old entry went before the TLBI's completion), maybe a DSB, and walks
 * slot a. Both CPUs at EL1; a fault maps the slot's own page again
 * (map_again), and the outcome counts the faults (a walk that saw the
 * slot invalid). */
static void generate_tlbi_race(uint64_t seed)
{
	unsigned a, n = 0;
	bool late;

	prog_start(seed, 2);
	prog.faults = true;
	prog.el1[0] = prog.el1[1] = true;
	a = rnd(2);
	late = rnd(2);
	/* Slot 0 maps page[0] (value 1), slot 1 page[1] (value 2). */
	prog.ops[0][n++] = (struct op){OP_DW, a, 0};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	if (!late)
		prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[0][n++] = (struct op){OP_TLBI, 0, a};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	if (late)
		prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[0][n++] = (struct op){OP_DW, a, rnd(2) ? 2 - a : 1 + a};
	prog.nops[0] = n;
	n = 0;
	if (rnd(3))
		prog.ops[1][n++] = (struct op){OP_READ, 1 - a, 0};
	prog.ops[1][n++] = (struct op){OP_PR, 0, 0};
	if (rnd(2))
		prog.ops[1][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[1][n++] = (struct op){OP_READ, a, 0};
	prog.nops[1] = n;
}

/* Programs whose outcomes tell a stale TLB hit from an old memory value
 * (dpor_random_tlb_stale). Writer w and the other CPU o, both at EL1,
 * slot a, which maps page[a] (value 1 + a; the other page is 2 - a).
 * The two pages hold different words and o's last step is an AT of
 * slot a, so PAR_EL1 shows the output address of the entry used, or the
 * fault; the data word is a flag w sets after a step and o reads before
 * its AT; faults of o's optional first read are counted (the handler
 * leaves the slot's own page in it). Four shapes, t:
 * 0: w breaks a (invalid, DSB), TLBI VAE1 of a on its own TLB, DSB,
 *    maps a to the other page; o makes a TLBI VAE1 of a on its own TLB,
 *    a DSB and translates a. Only when w's break came before o's TLBI
 *    completed is the old entry it gave to o's TLB gone when w maps the
 *    other page: the outcomes without a break-before-make violation (a
 *    store that does not write o's TLB, or a completion that does not
 *    read its unit's part, loses them; with bbm0);
 * 1: w breaks a and sets the flag; o makes a TLBI VAE1IS of a, a DSB,
 *    reads the flag and translates a: with the flag set, a hit on the
 *    old entry only when the break came after o's TLBI completed;
 * 2: w breaks a, sets the flag, TLBI VAE1IS of a, DSB, maps a again
 *    (its own page or the other); o may read a slot first, then reads
 *    the flag and translates a: with the flag set, a hit on the old
 *    entry only before the TLBI completes on o (a walk that does not
 *    read its unit's part, or a completion that does not write it,
 *    loses it);
 * 3: as 2, the flag set after the TLBI's DSB instead. */
static void generate_tlb_stale(uint64_t seed)
{
	unsigned a, w, o, t, n = 0;

	prog_start(seed, 2);
	prog.faults = true;
	prog.el1[0] = prog.el1[1] = true;
	t = (unsigned)(seed % 4);
	a = rnd(2);
	w = rnd(2);
	o = 1 - w;
	prog.ops[w][n++] = (struct op){OP_DW, a, 0};
	prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	if (t == 0) {
		prog.ops[w][n++] = (struct op){OP_TLBI, 2, a};
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
		prog.ops[w][n++] = (struct op){OP_DW, a, 2 - a};
	} else if (t == 1) {
		prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	} else {
		if (t == 2)
			prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
		prog.ops[w][n++] = (struct op){OP_TLBI, 0, a};
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
		if (t == 3)
			prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
		prog.ops[w][n++] = (struct op){OP_DW, a, rnd(2) ? 2 - a
							       : 1 + a};
	}
	prog.nops[w] = n;
	n = 0;
	if (t <= 1) {
		prog.ops[o][n++] = (struct op){OP_TLBI, t == 0 ? 2 : 0, a};
		prog.ops[o][n++] = (struct op){OP_DSB, 0, 0};
	} else if (rnd(2)) {
		prog.ops[o][n++] = (struct op){OP_READ, rnd(2) ? a : 1 - a, 0};
	}
	if (t != 0)
		prog.ops[o][n++] = (struct op){OP_PR, 0, 0};
	prog.ops[o][n++] = (struct op){OP_AT, a, 0};
	prog.nops[o] = n;
}

/* Programs of the race between a context synchronisation event and
 * another CPU's TLBI completion that retires an entry into its TLB
 * (feature relaxed: barrier.c, retire(), cse_footprint();
 * FP_OBJ_RETIRED): the writer breaks slot a (invalid, DSB), maybe sets
 * the flag, makes a TLBI VAE1IS of a and a DSB, maybe sets the flag
 * then, and maps a again (its own page or the other); the other CPU
 * translates a (its TLB holds the entry the TLBI retires), maybe reads
 * the flag, makes an ISB (whose emptying of the retired entries is the
 * race), maybe a second ISB or a read of the other slot, and ends with
 * an AT of a (PAR_EL1: the entry it used, or the fault). An ISB before
 * the completion leaves the retired entry usable, one after it does not:
 * the orders give different states. */
static void generate_cse_retire(uint64_t seed)
{
	unsigned a, n = 0, t;

	prog_start(seed, 2);
	prog.faults = true;
	prog.el1[0] = prog.el1[1] = true;
	a = rnd(2);
	t = rnd(3);
	prog.ops[0][n++] = (struct op){OP_DW, a, 0};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	if (t == 1)
		prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[0][n++] = (struct op){OP_TLBI, 0, a};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	if (t == 2)
		prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[0][n++] = (struct op){OP_DW, a, rnd(2) ? 2 - a : 1 + a};
	prog.nops[0] = n;
	n = 0;
	prog.ops[1][n++] = (struct op){OP_READ, a, 0};
	if (t)
		prog.ops[1][n++] = (struct op){OP_PR, 0, 0};
	prog.ops[1][n++] = (struct op){OP_ISB, 0, 0};
	switch (rnd(3)) {
	case 0:
		prog.ops[1][n++] = (struct op){OP_ISB, 0, 0};
		break;
	case 1:
		prog.ops[1][n++] = (struct op){OP_READ, 1 - a, 0};
		break;
	default:
		break;
	}
	prog.ops[1][n++] = (struct op){OP_AT, a, 0};
	prog.nops[1] = n;
}

/* Programs of a walk made after another CPU's TLBI completed that is
 * TLBI-before it all the same (feature relaxed: src/model/tlbi_late.c,
 * order_tlbi_late(), issuer_reads_fp()). The issuer (CPU0) breaks slot
 * a (invalid, DSB), maybe sets the data word, makes a TLBI VAE1IS of a
 * and a DSB, reads the data word (a read the late walk's view may have
 * missed: the execution is then dropped) and, on two CPUs when it did
 * not set the data word, maybe maps a again; CPU1
 * maybe writes the data word and maybe makes a DSB (its view then holds
 * that write), translates a (through the old entry its TLB may hold:
 * the late walk) and maybe reads the data word; on three CPUs, CPU2
 * writes or reads the data word, or breaks the other slot (a write of
 * another word, which the late walk's step no longer meets through the
 * order of writes), or makes a DSB. */
static void generate_tlbi_late(uint64_t seed, unsigned ncpus)
{
	unsigned a, n = 0;
	bool early;

	prog_start(seed, ncpus);
	prog.faults = true;
	prog.el1[0] = prog.el1[1] = prog.el1[2] = true;
	a = rnd(2);
	early = rnd(2);
	prog.ops[0][n++] = (struct op){OP_DW, a, 0};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	if (early)
		prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[0][n++] = (struct op){OP_TLBI, 0, a};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[0][n++] = (struct op){OP_PR, 0, 0};
	/* At most MAX_OPS operations. */
	if (ncpus == 2 && !early && rnd(2))
		prog.ops[0][n++] = (struct op){OP_DW, a, rnd(2) ? 2 - a
								: 1 + a};
	prog.nops[0] = n;
	n = 0;
	if (rnd(3))
		prog.ops[1][n++] = (struct op){OP_PW, 0, 0};
	if (rnd(2))
		prog.ops[1][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[1][n++] = (struct op){OP_READ, a, 0};
	if (rnd(2))
		prog.ops[1][n++] = (struct op){OP_PR, 0, 0};
	prog.nops[1] = n;
	if (ncpus < 3)
		return;
	switch (rnd(4)) {
	case 0:
		prog.ops[2][0] = (struct op){OP_PW, 0, 0};
		break;
	case 1:
		prog.ops[2][0] = (struct op){OP_PR, 0, 0};
		break;
	case 2:
		prog.ops[2][0] = (struct op){OP_DW, 1 - a, 0};
		break;
	default:
		prog.ops[2][0] = (struct op){OP_DSB, 0, 0};
		break;
	}
	prog.nops[2] = 1;
}

/*
 * Programs of TLBI completions whose removals commute (barrier.c,
 * removal_commutes(); footprint.h, FP_SUB_DEL): every CPU at EL1, so
 * that a store gives old values to every TLB. CPU0 changes slot a (to
 * invalid, or to the other page), makes a DSB (or leaves its store
 * pending across its TLBI, which then protects its location and
 * removes as before), a TLBI and a DSB, and sets the flag (the data
 * word) before its TLBI or after its DSB; CPU1 may walk a slot first,
 * makes a TLBI of its own and a DSB, maybe an ISB (which empties its
 * retiring and retired entries), reads the flag and ends with an AT of
 * a (PAR_EL1: the entry it used, or the fault); on three CPUs CPU2
 * makes a TLBI and a DSB too, and an AT of a. Each TLBI is one of: by
 * VA of a or of the other slot, broadcast or local, or VMALLE1IS. A
 * local completion keeps what it removed in the issuer's retiring set
 * (without ETS2), a broadcast one deletes it there too (and under
 * relaxed retires what it deletes from the held set). With the flag
 * set, CPU1's AT hits the old entry only through its own retiring set
 * or before CPU0's completion on it: the outcomes tell the orders of a
 * completion and a walk apart, and (under relaxed) of two completions.
 */
static struct op removal_tlbi(unsigned a)
{
	switch (rnd(5)) {
	case 0:
		return (struct op){OP_TLBI, 0, a};
	case 1:
		return (struct op){OP_TLBI, 0, 1 - a};
	case 2:
		return (struct op){OP_TLBI, 1, 0};
	case 3:
		return (struct op){OP_TLBI, 2, a};
	default:
		return (struct op){OP_TLBI, 2, 1 - a};
	}
}

static void generate_tlb_removals(uint64_t seed, unsigned ncpus)
{
	unsigned a, w, o, n = 0;
	bool pending, late;

	prog_start(seed, ncpus);
	prog.faults = true;
	prog.el1[0] = prog.el1[1] = prog.el1[2] = true;
	a = rnd(2);
	w = rnd(2);
	o = 1 - w;
	pending = rnd(4) == 0;
	late = rnd(2);
	prog.ops[w][n++] = (struct op){OP_DW, a, rnd(2) ? 0 : 2 - a};
	if (!pending)
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	if (!late)
		prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[w][n++] = removal_tlbi(a);
	prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	if (late)
		prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	prog.nops[w] = n;
	n = 0;
	if (rnd(3) == 0)
		prog.ops[o][n++] = (struct op){OP_READ, rnd(2) ? a : 1 - a, 0};
	prog.ops[o][n++] = removal_tlbi(a);
	prog.ops[o][n++] = (struct op){OP_DSB, 0, 0};
	if (rnd(3) == 0)
		prog.ops[o][n++] = (struct op){OP_ISB, 0, 0};
	prog.ops[o][n++] = (struct op){OP_PR, 0, 0};
	prog.ops[o][n++] = (struct op){OP_AT, a, 0};
	prog.nops[o] = n;
	if (ncpus < 3)
		return;
	n = 0;
	prog.ops[2][n++] = removal_tlbi(a);
	prog.ops[2][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[2][n++] = (struct op){OP_AT, a, 0};
	prog.nops[2] = n;
}

/*
 * A program of TLBI completions that may uncache a context (the context
 * programs; docs/explorer.md, "Uncachings that commute"). The kernel's
 * context x; CPU w (at EL1 in x) remaps or breaks slot a, maybe
 * publishes it and sets the flag (the data word), completes a TLBI
 * VMALLE1IS or VAE1IS of a, sets the flag after if not before, and in
 * shape 1 then breaks slot a again (DSB) and only then sets the flag
 * (at most 7 operations: MAX_OPS). CPU o
 * caches x without using it, and any completion that clears x uncaches
 * it: shape 0, at EL1, walks a slot in x, switches to a context of its
 * own, makes its own TLBI (VMALLE1 or VAE1 of a, local) or none, a
 * DSB, reads the flag, switches back to x and translates a (AT); shape
 * 1, at EL2 with the kernel's EL1 registers, translates a (an AT of the
 * EL1&0 regime caches x), makes its own TLBI or none and a DSB, reads
 * the flag and translates a again. Whether o still caches x when w's
 * store comes decides whether o may hold the old value, which o's last
 * AT (PAR_EL1) may hit: the outcomes tell the order of an uncaching
 * completion and a store, and of a completion that finds x uncached
 * and the AT that caches it.
 */
static void generate_ctx_uncache(uint64_t seed, unsigned ncpus)
{
	unsigned a, w, o, n = 0, shape, t;
	bool late;

	prog_start(seed, ncpus);
	prog.ctx = true;
	prog.faults = true;
	a = rnd(2);
	w = rnd(2);
	o = 1 - w;
	shape = rnd(2);
	/* Shape 1 sets the flag after its second break only (MAX_OPS). */
	late = rnd(2) || shape == 1;
	prog.el1[w] = true;
	prog.el1[o] = shape == 0;
	if (ncpus > 2)
		prog.el1[2] = true;
	prog.ops[w][n++] = (struct op){OP_DW, a, rnd(2) ? 0 : 2 - a};
	if (shape == 0 || rnd(2))
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	if (!late)
		prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[w][n++] = (struct op){OP_TLBI, rnd(3) ? 1 : 0, a};
	prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	if (shape == 1) {
		prog.ops[w][n++] = (struct op){OP_DW, a, 0};
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	}
	if (late)
		prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	prog.nops[w] = n;
	n = 0;
	t = rnd(3);
	if (shape == 0) {
		if (rnd(2))
			prog.ops[o][n++] = (struct op){OP_READ, rnd(2) ? a : 1 - a,
						       0};
		prog.ops[o][n++] = (struct op){OP_CTX, 1, 0};
	} else {
		prog.ops[o][n++] = (struct op){OP_CTX, 2, 0};
		prog.ops[o][n++] = (struct op){OP_AT, a, 0};
	}
	if (t < 2)
		prog.ops[o][n++] = (struct op){OP_TLBI, t ? 3 : 2, a};
	prog.ops[o][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[o][n++] = (struct op){OP_PR, 0, 0};
	if (shape == 0)
		prog.ops[o][n++] = (struct op){OP_CTX, 0, 0};
	prog.ops[o][n++] = (struct op){OP_AT, a, 0};
	prog.nops[o] = n;
	if (ncpus < 3)
		return;
	n = 0;
	prog.ops[2][n++] = (struct op){OP_TLBI, 1, 0};
	prog.ops[2][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[2][n++] = (struct op){OP_AT, a, 0};
	prog.nops[2] = n;
}

VEC_DEFINE(u64_vec, uint64_t)

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* A violation as an outcome: its kind and message. */
static uint64_t violation_hash(uint64_t h, const vmsa_violation_t *v)
{
	h = fnv(h, "V", 1);
	h = fnv(h, &v->kind, sizeof(v->kind));
	return fnv(h, v->message, strlen(v->message));
}

/* The cache model's view of the data line's words 0 and 1: what a
 * cacheable and a non-cacheable read would return (the stale copy, the
 * PoC's), and the line's state. */
static uint64_t cache_hash(uint64_t h, const vmsa_machine_t *m,
			   vmsa_pa_t pa)
{
	int st = cache_line_state(&m->cache, pa);

	for (unsigned w = 0; w < 2; w++)
		for (unsigned c = 0; c < 2; c++) {
			uint64_t v = 0;

			(void)cache_read(&m->cache, &m->mem, pa + 8 * w, 8, c,
					 &v);
			h = fnv(h, &v, sizeof(v));
		}
	return fnv(h, &st, sizeof(st));
}

/* One outcome: the violation, or the final state. */
static void outcome(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v)
{
	struct u64_vec *out = ctx;
	uint64_t h = 0xcbf29ce484222325ull;

	const bool *dr = prog.drops ? dropped_of(r) : NULL;

	/* A dropped execution is one outcome, whatever comes after the
	 * drop (a violation too: the reduced search ends it there). */
	if (dr && (dr[0] || dr[1] || dr[2])) {
		h = fnv(h, "D", 1);
	} else if (v) {
		h = violation_hash(h, v);
	} else {
		vmsa_machine_t *m = vmsa_run_machine(r);
		const struct vmsa_kernel *k = vmsa_kernel_of(r);

		h = fnv(h, "S", 1);
		h = fnv(h, got, sizeof(got));
		if (prog.faults)
			h = fnv(h, n_faults, sizeof(n_faults));
		for (unsigned s = 0; s < 2; s++)
			h = fnv(h, vmsa_pa_cptr(m, vmsa_kernel_pte_pa(
						k, slot_va[s])), 8);
		h = fnv(h, vmsa_pa_cptr(m, data_pa(r)), 8);
		h = fnv(h, vmsa_pa_cptr(m, lock_pa(r)), 8);
		if (prog.structure) {
			h = fnv(h, vmsa_pa_cptr(m, l2_slot(k)), 8);
			for (unsigned s = 0; s < 2; s++)
				h = fnv(h, vmsa_pa_cptr(m, word_in(t2_pa, s)),
					8);
		}
		if (prog.alloc) {
			uint64_t n = vmsa_pages_free(m);

			h = fnv(h, &n, sizeof(n));
		}
		if (prog.cache)
			h = cache_hash(h, m, data_pa(r));
	}
	(void)u64_vec_push(out, h);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_unique(struct u64_vec *v)
{
	unsigned k = 0;

	if (v->n)
		qsort(v->p, v->n, sizeof(uint64_t), cmp_u64);
	for (unsigned i = 0; i < v->n; i++)
		if (!k || v->p[k - 1] != v->p[i])
			v->p[k++] = v->p[i];
	v->n = k;
}

static vmsa_scenario_t scen = {
	.name = "test/dpor-random",
	.setup = setup,
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

static uint64_t total_plain, total_reduced;

/* compare_runs(): the reference search reduced too (without ending an
 * execution at its drop), for programs too large to search plainly. */
static bool ref_reduced;

/* compare_runs(): the reference search is the plain one without the
 * held-entry rule (VMSA_ORDER_HPRUNE=0), the other the plain one with it
 * (dpor_random_held_rule); how many programs it made fewer executions. */
static bool held_ref;
static unsigned held_fewer;

/* compare(): programs whose plain search reaches this many executions
 * are left out (the test's time; 0: none is), and how many were. */
static uint64_t plain_cap;
static unsigned left_out;

/* The outcome sets a (without the reduction) and b (with it) must be
 * equal, and the reduction explore no more; frees both. DPOR_VERBOSE=1:
 * one line per program, to see what the test covers (outcomes per
 * program, executions saved). */
static void same_outcomes(const char *what, uint64_t seed,
			  const char *config, int bound, struct u64_vec *a,
			  struct u64_vec *b, const vmsa_explore_stats_t *sa,
			  const vmsa_explore_stats_t *sb)
{
	sort_unique(a);
	sort_unique(b);
	CHECK_MSG(a->n == b->n &&
		  !memcmp(a->p, b->p, a->n * sizeof(uint64_t)),
		  "%sseed %llu, %s, bound %d: %u outcomes in %llu executions "
		  "without reduction, %u in %llu with it", what,
		  (unsigned long long)seed, config, bound, a->n,
		  (unsigned long long)sa->executions, b->n,
		  (unsigned long long)sb->executions);
	CHECK(ref_reduced || sb->executions <= sa->executions);
	if (getenv("DPOR_VERBOSE"))
		fprintf(stderr, "%sseed %llu %s bound %d: %u outcomes, %llu / "
			"%llu executions\n", what, (unsigned long long)seed,
			config, bound, a->n,
			(unsigned long long)sa->executions,
			(unsigned long long)sb->executions);
	total_plain += sa->executions;
	total_reduced += sb->executions;
	u64_vec_free(a);
	u64_vec_free(b);
}

/* Search the program both ways at bound `bound` and compare. With
 * drops, the reduced search ends an execution at its drop (below). */
static void compare_runs(uint64_t seed, const char *config, int bound,
			 bool drops)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	struct u64_vec a = {0}, b = {0};
	vmsa_explore_stats_t sa, sb;
	char err[200];

	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		scen.cpu[c] = c < prog.ncpus ? cpu_fn : NULL;
		scen.handler[c][1] = c >= prog.ncpus ? NULL :
				     !drops && prog.structure ? map_struct :
								map_again;
	}
	if (drops)
		prog.drops = true;
	o.preemptions = bound;
	o.reduction = ref_reduced;
	o.max_executions = plain_cap;
	drop_ends = false;
	if (held_ref)
		setenv("VMSA_ORDER_HPRUNE", "0", 1);
	CHECK_EQ(explore_outcomes(&scen, config, &o, outcome, &a, &sa, err,
				  sizeof(err)), 0);
	if (held_ref)
		unsetenv("VMSA_ORDER_HPRUNE");
	if (plain_cap && sa.executions >= plain_cap) {
		left_out++;
		u64_vec_free(&a);
		return;
	}
	o.max_executions = 0;
	o.reduction = !held_ref;
	drop_ends = drops;
	CHECK_EQ(explore_outcomes(&scen, config, &o, outcome, &b, &sb, err,
				  sizeof(err)), 0);
	drop_ends = false;
	held_fewer += held_ref && sb.executions < sa.executions;
	same_outcomes(held_ref ? "held-entry rule (off / on): " :
		      !drops ? "" : ref_reduced ?
		      "drops (reference: reduced, not ended): " : "drops: ",
		      seed, config, bound, &a, &b, &sa,
		      &sb);
}

static void compare(uint64_t seed, const char *config, int bound)
{
	compare_runs(seed, config, bound, false);
}

/*
 * Dropped executions (OP_DROP). The plain search lets the other CPUs go
 * on after a drop (every execution runs to its end, as without
 * explore_end); the reduced one ends the execution at the drop
 * (drop_ends), with the other CPUs' next steps pending for the
 * reduction (search.c, explore_end_pending()). The outcome sets must be
 * equal: every final state of an execution nobody dropped, and whether
 * some execution was dropped. Without the pending events (measured: the
 * execution ended with nothing for the CPUs that did not finish, as the
 * litmus front end's infeasible drops did before) seeds 9091, 9092 (the
 * two written below) and 9106 (three CPUs, bounds 0 to 2) lose
 * outcomes: a CPU that reads the data word before another CPU's write
 * and drops never sees the order where the write comes first.
 */
static void compare_drops(uint64_t seed, const char *config, int bound)
{
	compare_runs(seed, config, bound, true);
}

/* Programs of dropping reads (OP_DROP) and what decides them: two CPUs
 * unbounded, with and without relaxed (programs whose plain search
 * passes 65,000 executions left out: DROPS_LEFT_OUT of them; 50,000 and 9
 * until the C API's descriptor stores took their earliest place under
 * relaxed, which took seed 9023 from under 50,000 to 61,490); three CPUs
 * at bounds 0 to 2. */
#define DROPS_LEFT_OUT 6u
TEST(dpor_random_drops)
{
	unsigned dropping = 0;

	kinds = drop_mix;
	n_kinds = sizeof(drop_mix) / sizeof(drop_mix[0]);
	plain_cap = 65000;
	left_out = 0;
	for (uint64_t seed = 9000 + seed_shift();
	     seed <= 9080 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		prog.el1[0] = true;
		prog.faults = true;
		for (unsigned c = 0; c < 2; c++)
			for (unsigned i = 0; i < prog.nops[c]; i++)
				dropping += prog.ops[c][i].k == OP_DROP;
		compare_drops(seed, seed % 3 == 0 ? "bbm2+ets2" :
			      seed % 3 == 1 ? "bbm0" : "bbm0+relaxed",
			      VMSA_UNBOUNDED);
	}
	CHECK(dropping > 60);
	/* CPU0 reads the data word first and drops on 0, so the first
	 * execution ends before CPU1 ran: only CPU1's pending step can
	 * make the reduction try CPU1's write first. */
	for (unsigned w = 1; w <= 2; w++) {
		prog_start(9090 + w, 2);
		prog.el1[0] = prog.el1[1] = w == 2;
		prog.nops[0] = 2;
		prog.ops[0][0] = (struct op){OP_DROP, 0, 0};
		prog.ops[0][1] = (struct op){OP_PR, 0, 0};
		prog.nops[1] = 2;
		prog.ops[1][0] = (struct op){OP_WV, 0, w};
		prog.ops[1][1] = (struct op){OP_WV, 0, 0};
		compare_drops(9090 + w, w == 1 ? "bbm0" : "bbm0+relaxed",
			      VMSA_UNBOUNDED);
	}
	plain_cap = 0;
	if (!seed_shift())
		CHECK_EQ(left_out, DROPS_LEFT_OUT);
	for (uint64_t seed = 9100 + seed_shift();
	     seed <= 9115 + seed_shift(); seed++) {
		generate(seed, 3, 2, true, false);
		prog.el1[0] = true;
		prog.faults = true;
		for (int bound = 0; bound <= 2; bound++)
			compare_drops(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* One drop program of ncpus CPUs from seed (dpor_random_drops' kind),
 * searched unbounded unless its plain search passes plain_cap. */
static void drop_program(uint64_t seed, unsigned ncpus, unsigned ops)
{
	generate(seed, ncpus, ops, true, false);
	prog.el1[0] = true;
	prog.faults = true;
	ref_reduced = ncpus > 2;
	compare_drops(seed, seed % 3 == 0 ? "bbm2+ets2" :
		      seed % 3 == 1 ? "bbm0" : "bbm0+relaxed",
		      VMSA_UNBOUNDED);
	ref_reduced = false;
}

/* An environment variable's number, or dflt when it is not set. */
static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v ? strtoull(v, NULL, 10) : dflt;
}

/*
 * Drop programs of three CPUs unbounded (an ended execution's pending
 * events: docs/explorer.md, "Pending events"), too large for the plain
 * search: the reference is the reduced search where a drop ends nothing
 * (ref_reduced). Runs by hand: DPOR_DROPS_WIDE=n adds n programs of
 * each kind (two CPUs against the plain search; three CPUs of two and
 * of three operations) from seed DPOR_DROPS_FROM (20000).
 */
TEST(dpor_random_drops_three)
{
	const char *wide = getenv("DPOR_DROPS_WIDE");
	uint64_t n = env_u64("DPOR_DROPS_WIDE", 0);
	uint64_t from = env_u64("DPOR_DROPS_FROM", 20000);

	kinds = drop_mix;
	n_kinds = sizeof(drop_mix) / sizeof(drop_mix[0]);
	/* Seed 9203's reference search: 51,067 executions since a TLBI
	 * completion and a publishing DSB took a choice of places in
	 * memory's order (order.c, fence_place). */
	plain_cap = 60000;
	left_out = 0;
	for (uint64_t seed = 9200 + seed_shift();
	     seed < 9240 + seed_shift(); seed++)
		drop_program(seed, 3, 1);
	if (!seed_shift())
		CHECK_EQ(left_out, 0);
	for (uint64_t k = from; k < from + n; k++) {
		drop_program(k, 2, 2);
		drop_program(k, 3, 1);
		drop_program(k, 3, 2);
	}
	if (wide)
		fprintf(stderr, "drops wide: %u programs left out, %llu / "
			"%llu executions\n", left_out,
			(unsigned long long)total_plain,
			(unsigned long long)total_reduced);
	plain_cap = 0;
	ref_reduced = false;
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

TEST(dpor_random_two_cpus_unbounded)
{
	for (uint64_t seed = 1 + seed_shift();
	     seed <= 200 + seed_shift(); seed++) {
		generate(seed, 2, 2, false, false);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
}

TEST(dpor_random_two_cpus_bounded)
{
	for (uint64_t seed = 1000 + seed_shift();
	     seed <= 1080 + seed_shift(); seed++) {
		generate(seed, 2, 3, true, false);
		for (int bound = 0; bound <= 3; bound++)
			compare(seed, "bbm0", bound);
	}
}

TEST(dpor_random_extended)
{
	for (uint64_t seed = 2000 + seed_shift();
	     seed <= 2020 + seed_shift(); seed++) {
		generate(seed, 2, 1, seed % 4 == 0, true);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
}

/* A descriptor store and another CPU's context synchronisation event
 * are independent without ETS2, ETS3 and relaxed (write.c,
 * store_reads_windows()): programs of stores, ISBs, DSBs and reads, at
 * EL1 on both CPUs, without ETS (the refined case) and with ETS2 (where
 * the store's step is compared with the window). */
TEST(dpor_random_windows)
{
	kinds = windows;
	n_kinds = sizeof(windows) / sizeof(windows[0]);
	for (uint64_t seed = 3000 + seed_shift();
	     seed <= 3040 + seed_shift(); seed++) {
		generate(seed, 2, 1, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 2 ? "bbm0" : "bbm0+ets2", VMSA_UNBOUNDED);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* The same races under the feature relaxed (Arm's ordering of data
 * accesses, as litmus tests run), where a CPU's descriptor store and
 * another CPU's context synchronisation event are independent without
 * ETS2 and ETS3 (write.c, store_reads_windows()): with and without
 * ETS2, and with the weighted mix (TLBIs, AT, data accesses) too. */
TEST(dpor_random_windows_relaxed)
{
	kinds = windows;
	n_kinds = sizeof(windows) / sizeof(windows[0]);
	for (uint64_t seed = 4000 + seed_shift();
	     seed <= 4009 + seed_shift(); seed++) {
		generate(seed, 2, 1, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			VMSA_UNBOUNDED);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
	for (uint64_t seed = 4100 + seed_shift();
	     seed <= 4129 + seed_shift(); seed++) {
		generate(seed, 2, 1, seed % 2 == 0, seed % 5 == 0);
		compare(seed, seed % 3 ? "bbm0+relaxed" : "bbm2+ets2+relaxed",
			VMSA_UNBOUNDED);
	}
	/* Explicit accesses under relaxed with ETS2 or ETS3 move no window
	 * (access.c, access_explicit()): data reads and writes and reads
	 * through translation against stores, DSBs and ISBs. */
	kinds = windows_explicit;
	n_kinds = sizeof(windows_explicit) / sizeof(windows_explicit[0]);
	for (uint64_t seed = 4200 + seed_shift();
	     seed <= 4229 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 2 ? "bbm0+ets2+relaxed" :
					 "bbm2+ets3+relaxed", VMSA_UNBOUNDED);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* The TLB of a CPU in parts by page, and TLBI completions by VA that
 * touch only their page's part: both CPUs at EL1 (both TLBs cache the
 * kernel's context, so stores give old values to both), unbounded on
 * two CPUs and at bounds 0 and 1 on three. */
TEST(dpor_random_tlb_split)
{
	kinds = tlb_split;
	n_kinds = sizeof(tlb_split) / sizeof(tlb_split[0]);
	for (uint64_t seed = 4000 + seed_shift();
	     seed <= 4040 + seed_shift(); seed++) {
		generate(seed, 2, 1, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 4100 + seed_shift();
	     seed <= 4106 + seed_shift(); seed++) {
		generate(seed, 3, 1, true, false);
		prog.el1[0] = true;
		for (int bound = 0; bound <= 1; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* A CPU that waits for the next CPU's value: that CPU's last operation
 * writes it (unless it waits itself), so that most waits end. */
static void writers_for_waits(void)
{
	for (unsigned c = 0; c < prog.ncpus; c++) {
		unsigned n = (c + 1) % prog.ncpus;
		bool waits = false;

		for (unsigned i = 0; i < prog.nops[c]; i++)
			waits |= prog.ops[c][i].k == OP_WAIT;
		if (waits && prog.ops[n][prog.nops[n] - 1].k != OP_WAIT)
			prog.ops[n][prog.nops[n] - 1] =
				(struct op){.k = OP_PW};
	}
}

/* Waits: each CPU may wait for the next CPU's write of the data word,
 * which may be overwritten first (a deadlock, an outcome too),
 * unbounded on two CPUs, at bounds 0 to 2 on three. Then waits of every
 * kind (waits_x) on a word any CPU writes any value to, and a lock: a
 * wait whose condition is false is not runnable, and its check races
 * with the write that made it false (dpor_wait_check); without those
 * races 4 of these programs lose outcomes (a CPU that writes the value
 * another waits for and overwrites it before the waiter looks). The
 * five programs on two CPUs whose plain search passes 200,000
 * executions are left out (seed 7235: 3.5 million). */
TEST(dpor_random_waits)
{
	kinds = waits;
	n_kinds = sizeof(waits) / sizeof(waits[0]);
	for (uint64_t seed = 7000 + seed_shift();
	     seed <= 7040 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		writers_for_waits();
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 7100 + seed_shift();
	     seed <= 7110 + seed_shift(); seed++) {
		generate(seed, 3, 1, true, false);
		writers_for_waits();
		for (int bound = 0; bound <= 2; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	kinds = waits_x;
	n_kinds = sizeof(waits_x) / sizeof(waits_x[0]);
	plain_cap = 200000;
	left_out = 0;
	for (uint64_t seed = 7200 + seed_shift();
	     seed <= 7260 + seed_shift(); seed++) {
		generate(seed, 2, 3, true, false);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	if (!seed_shift())
		CHECK_EQ(left_out, 5);
	plain_cap = 0;
	/* Three CPUs at bounds 0 to 2 (unbounded, the plain search of
	 * some of these programs passes a million executions). At bound
	 * 1 seed 7308 (bbm1) lost one outcome of nine under the reduction
	 * while the start of a block got only the race's later CPU
	 * (docs/explorer.md, "With a preemption bound"). */
	for (uint64_t seed = 7300 + seed_shift();
	     seed <= 7320 + seed_shift(); seed++) {
		generate(seed, 3, 2, true, false);
		for (int bound = 0; bound <= 2; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* Atomic adds (vmsa_phys_add): two adds of the data word of one split
 * commute (footprint.h, FP_SUB_ADD), everything else on the word is
 * ordered with them. Programs of adds that commute, that observe the
 * bits they change, that carry into the bits they observe, mixed with
 * plain reads and writes (which set the word to 0 .. 3, so that carries
 * happen), a CAS, waits of every kind, a walk and a descriptor store;
 * the outcome holds each add's returned value and the final word. On
 * two CPUs unbounded (programs whose plain search passes 200,000
 * executions left out: ADDS_LEFT_OUT of them), on three at bounds 0 to
 * 2. These fail when two adds commute on a weaker condition (measured,
 * not kept: adds of any splits commuting, or an add commuting whenever
 * its mask and the other's delta share no bit, loses outcomes). */
#define ADDS_LEFT_OUT 1u
TEST(dpor_random_adds)
{
	uint64_t plain0 = total_plain, reduced0 = total_reduced;

	kinds = adds_mix;
	n_kinds = sizeof(adds_mix) / sizeof(adds_mix[0]);
	plain_cap = 200000;
	left_out = 0;
	for (uint64_t seed = 9000 + seed_shift();
	     seed <= 9060 + seed_shift(); seed++) {
		generate(seed, 2, 3, true, false);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	if (!seed_shift())
		CHECK_EQ(left_out, ADDS_LEFT_OUT);
	plain_cap = 0;
	for (uint64_t seed = 9100 + seed_shift();
	     seed <= 9120 + seed_shift(); seed++) {
		generate(seed, 3, 2, true, false);
		for (int bound = 0; bound <= 2; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	if (getenv("DPOR_VERBOSE"))
		fprintf(stderr, "adds: %llu executions plain, %llu reduced\n",
			(unsigned long long)(total_plain - plain0),
			(unsigned long long)(total_reduced - reduced0));
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/*
 * Wait reads against the writes that let them run (docs/explorer.md,
 * "Wait reads that cannot move"): CPU0 (and with three CPUs CPU2)
 * writes the data word 2 or 3 times, any of four values (0, the value
 * at set-up, included: a write of the value already there), a DSB or a
 * read of it maybe in between; CPU1 waits for it (equal, not equal,
 * low bit: OP_WAITX) and reads it again. Whether a reversal of a write
 * and the wait's read can change anything depends on the value before
 * the write: the outcome "the wait saw the first of two values that
 * both let it run" needs the reversal of the second write and the read.
 */
static void generate_wait_moves(uint64_t seed, unsigned ncpus)
{
	prog_start(seed, ncpus);
	for (unsigned c = 0; c < ncpus; c++) {
		unsigned n = 0, writes = 2 + (c == 0 ? rnd(2) : 0);

		if (c == 1) {
			prog.ops[1][n++] = (struct op){OP_WAITX, rnd(3), rnd(4)};
			if (rnd(2))
				prog.ops[1][n++] = (struct op){OP_PR, 0, 0};
			prog.nops[1] = n;
			continue;
		}
		for (unsigned i = 0; i < writes; i++) {
			prog.ops[c][n++] = (struct op){OP_WV, 0, rnd(4)};
			if (i + 1 < writes && rnd(3) == 0)
				prog.ops[c][n++] = rnd(2) ?
					(struct op){OP_DSB, 0, 0} :
					(struct op){OP_PR, 0, 0};
		}
		prog.nops[c] = n;
	}
}

/* Plain and reduced outcome sets of generate_wait_moves(), unbounded:
 * 60 programs on two CPUs, 20 on three. Skipping every reversal of a
 * write and a wait's read (not only those that cannot change anything)
 * loses outcomes in some of them (measured when the test was written). */
TEST(dpor_random_wait_moves)
{
	for (uint64_t seed = 9000 + seed_shift();
	     seed < 9060 + seed_shift(); seed++) {
		generate_wait_moves(seed, 2);
		compare(seed, "bbm0", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 9100 + seed_shift();
	     seed < 9120 + seed_shift(); seed++) {
		generate_wait_moves(seed, 3);
		compare(seed, seed % 2 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
}

/*
 * Wait reads behind writes they cannot move before (docs/explorer.md,
 * "Wait reads that cannot move"; dpor.c stood_for_check()): the writers
 * (CPU0, and CPU2 on three CPUs) write the data word 1 to 3 times, any
 * of four values, most writes followed by a DC CVAC (the line in sync
 * again, so that the next write is one word's change, FP_DW_ONE, whose
 * value before the reduction reads), or make an add of OP_ADD instead
 * (commuting or not), then maybe one more step on the line's word 1 (a
 * cacheable write or read: a later step of the writer). CPU1 may first
 * read the data word or write word 1, waits for the data word (equal,
 * not equal, low bit: OP_WAITX), and may then write word 1 or the data
 * word or read it: a later step of the waiter that races with the
 * writer's later step. The data line starts in sync (a quarter of the
 * programs: dirty). The outcome holds the reads, the final words and
 * the line's state.
 */
static struct op wait_clean_writer_op(void)
{
	if (rnd(5) == 0)
		return (struct op){OP_ADD, rnd(8), 0};
	return (struct op){OP_WV, 0, rnd(4)};
}

static void generate_wait_clean(uint64_t seed, unsigned ncpus)
{
	static const struct op after[] = {
		{OP_CW, 0, 1}, {OP_CR, 0, 1}, {OP_PR, 0, 0},
	};

	prog_start(seed, ncpus);
	prog.cache = true;
	prog.cache_init = rnd(4) == 0;
	for (unsigned c = 0; c < ncpus; c++) {
		unsigned n = 0, writes = 1 + rnd(3);

		if (c == 1) {
			if (rnd(2))
				prog.ops[1][n++] = rnd(2) ?
					(struct op){OP_PR, 0, 0} :
					(struct op){OP_CW, 0, 1};
			prog.ops[1][n++] = (struct op){OP_WAITX, rnd(3), rnd(4)};
			if (rnd(2))
				prog.ops[1][n++] = rnd(2) ? after[rnd(3)] :
					(struct op){OP_WV, 0, rnd(4)};
			prog.nops[1] = n;
			continue;
		}
		for (unsigned i = 0; i < writes; i++) {
			prog.ops[c][n++] = wait_clean_writer_op();
			if (rnd(3))
				prog.ops[c][n++] = (struct op){OP_DC, 0, 0};
		}
		if (n < MAX_OPS && rnd(2))
			prog.ops[c][n++] = after[rnd(2)];
		prog.nops[c] = n;
	}
}

/* Plain and reduced outcome sets of generate_wait_clean(): 100 programs
 * on two CPUs unbounded, 30 on three unbounded and at bounds 0 to 2. */
TEST(dpor_random_wait_clean)
{
	uint64_t plain0 = total_plain, reduced0 = total_reduced;

	for (uint64_t seed = 9700 + seed_shift();
	     seed < 9800 + seed_shift(); seed++) {
		generate_wait_clean(seed, 2);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 9800 + seed_shift();
	     seed < 9830 + seed_shift(); seed++) {
		generate_wait_clean(seed, 3);
		for (int bound = 0; bound <= 3; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm2+ets2",
				bound == 3 ? VMSA_UNBOUNDED : bound);
	}
	if (getenv("DPOR_VERBOSE"))
		fprintf(stderr, "wait_clean: %llu executions plain, %llu "
			"reduced\n",
			(unsigned long long)(total_plain - plain0),
			(unsigned long long)(total_reduced - reduced0));
}

/*
 * Data accesses against cache maintenance (docs/explorer.md, "Data
 * accesses and cache maintenance"): every CPU at EL2 with its MMU off
 * makes 2 .. 4 of: cacheable and non-cacheable reads and writes of
 * words 0 and 1 of the data line, DC CVAC, CIVAC and IVAC of it, the
 * atomic adds of OP_ADD (word 0), a plain read and write of word 0 and
 * the waits of OP_WAITX, from a line in sync, dirty or stale after
 * set-up. Losses of coherency are outcomes (a violation ends the
 * execution), and the final outcome holds what each kind of read would
 * return and the line's state, so that a clean or an invalidate whose
 * order nothing later observes still tells the two orders apart.
 */
static const enum op_kind cache_mix[] = {
	OP_CR, OP_CR, OP_CR, OP_CW, OP_CW, OP_DC, OP_DC, OP_DC, OP_ADD,
	OP_PR, OP_WV, OP_WAITX,
};

static void generate_cache(uint64_t seed, unsigned ncpus, unsigned ops)
{
	prog_start(seed, ncpus);
	prog.cache = true;
	prog.cache_init = rnd(3);
	for (unsigned c = 0; c < ncpus; c++) {
		prog.nops[c] = 2 + rnd(ops);
		for (unsigned i = 0; i < prog.nops[c]; i++) {
			struct op *o = &prog.ops[c][i];

			o->k = cache_mix[rnd(sizeof(cache_mix) /
					     sizeof(cache_mix[0]))];
			o->a = rnd(o->k == OP_ADD ? 8 :
				   o->k == OP_DC || o->k == OP_WAITX ? 3 : 2);
			o->b = rnd(o->k == OP_WV || o->k == OP_WAITX ? 4 : 2);
		}
	}
}

/* Plain and reduced outcome sets of generate_cache(): 80 programs on
 * two CPUs unbounded, 20 on three at bounds 0 to 2. */
TEST(dpor_random_cache)
{
	uint64_t plain0 = total_plain, reduced0 = total_reduced;

	for (uint64_t seed = 9500 + seed_shift();
	     seed < 9580 + seed_shift(); seed++) {
		generate_cache(seed, 2, 3);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 9600 + seed_shift();
	     seed < 9620 + seed_shift(); seed++) {
		generate_cache(seed, 3, 2);
		for (int bound = 0; bound <= 2; bound++)
			compare(seed, "bbm0", bound);
	}
	if (getenv("DPOR_VERBOSE"))
		fprintf(stderr, "cache: %llu executions plain, %llu reduced\n",
			(unsigned long long)(total_plain - plain0),
			(unsigned long long)(total_reduced - reduced0));
}

/*
 * Windows observed or not (docs/explorer.md, "Windows nobody
 * observes"): CPU0 writes slot a (invalid or a page), DSB, maybe again
 * with another value, then the data word (a flag); CPU1, at EL1, makes
 * one or two ISBs (a second one with nothing between overwrites the
 * first's window: nobody observes that one), reads the flag, maybe an
 * ISB, then translates slot a (a read or an AT). Whether the walk may
 * still see a value CPU0 replaced depends on whether CPU0's DSB came
 * before or after CPU1's last context synchronisation event before
 * the walk, whatever the flag said: that order must be explored.
 */
static void generate_window_observed(uint64_t seed)
{
	unsigned n = 0, a;

	prog_start(seed, 2);
	prog.faults = true;
	prog.el1[0] = rnd(2);
	prog.el1[1] = true;
	a = rnd(2);
	prog.ops[0][n++] = (struct op){OP_DW, a, rnd(3)};
	prog.ops[0][n++] = (struct op){OP_DSB, rnd(3) == 0, 0};
	if (rnd(2)) {
		prog.ops[0][n++] = (struct op){OP_DW, a, rnd(3)};
		prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	}
	prog.ops[0][n++] = (struct op){OP_PW, 0, 0};
	prog.nops[0] = n;
	n = 0;
	for (unsigned i = rnd(3); i > 0; i--)
		prog.ops[1][n++] = (struct op){OP_ISB, 0, 0};
	prog.ops[1][n++] = (struct op){OP_PR, 0, 0};
	if (rnd(2))
		prog.ops[1][n++] = (struct op){OP_ISB, 0, 0};
	prog.ops[1][n++] = (struct op){rnd(3) ? OP_READ : OP_AT, a, 0};
	prog.nops[1] = n;
}

/* Plain and reduced outcome sets of generate_window_observed(),
 * unbounded, with and without ETS2 (the 29 programs whose plain search
 * passes 20,000 executions are left out). A limit of these programs,
 * measured when the test was written: counting every window write as
 * observed by nobody loses no outcome in them (nor in any other program
 * of this file, nor does leaving the publishing DSB's read of the
 * windows out altogether): the orders it would lose give outcomes that
 * other orders give too. They check that the refinement loses nothing
 * here; the argument (docs/explorer.md) carries the rest. */
TEST(dpor_random_window_observed)
{
	/* By hand first: the break and remap of slot 0 published by two
	 * DSBs, then the flag; CPU1's ISB, the flag, a read of slot 0.
	 * With the flag set, the read may still take a spurious fault
	 * only when the ISB came before the second DSB. */
	prog_start(9199, 2);
	prog.faults = true;
	prog.el1[1] = true;
	prog.ops[0][0] = (struct op){OP_DW, 0, 0};
	prog.ops[0][1] = (struct op){OP_DSB, 0, 0};
	prog.ops[0][2] = (struct op){OP_DW, 0, 1};
	prog.ops[0][3] = (struct op){OP_DSB, 0, 0};
	prog.ops[0][4] = (struct op){OP_PW, 0, 0};
	prog.nops[0] = 5;
	prog.ops[1][0] = (struct op){OP_ISB, 0, 0};
	prog.ops[1][1] = (struct op){OP_PR, 0, 0};
	prog.ops[1][2] = (struct op){OP_READ, 0, 0};
	prog.nops[1] = 3;
	compare(9199, "bbm0", VMSA_UNBOUNDED);
	compare(9199, "bbm2+ets2", VMSA_UNBOUNDED);
	prog.ops[1][2] = (struct op){OP_AT, 0, 0};
	compare(9198, "bbm0", VMSA_UNBOUNDED);
	plain_cap = 20000;
	left_out = 0;
	for (uint64_t seed = 9200 + seed_shift();
	     seed < 9260 + seed_shift(); seed++) {
		generate_window_observed(seed);
		compare(seed, seed % 2 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	if (!seed_shift())
		CHECK_EQ(left_out, 29);
	plain_cap = 0;
}

/*
 * Windows observed by word (docs/explorer.md, "Windows observed by
 * word"). CPU1, at EL1, sets the data word to 2 (OP_PW) once it has
 * entered EL1, then waits until the word is no longer 2, makes an ISB,
 * maybe reads or translates the other slot b (a walk that observes its
 * window in b's part only), and reads the data word: when it is 3, it
 * translates slot a or b (OP_FREAD). CPU0 (at EL2 or EL1) waits for
 * CPU1's 2, writes slot a, publishes it with a DSB, sets the word to 1,
 * writes slot a again, publishes that, and sets the word to 3. So
 * CPU1's entry comes before CPU0's stores, its ISB after the first DSB
 * and its walk after the second: only the ISB's order with the second
 * DSB decides whether the walk may still take a spurious fault on the
 * value that DSB replaced, and only the race of the ISB's window with
 * that DSB reverses it (CPU1's wait, when it reads 1, does not happen
 * after the DSB, and nothing else CPU1 does before the walk meets the
 * second store or DSB). A walk of b alone observes nothing those DSBs
 * publish: that race is then left out.
 */
static void window_parts_prog(uint64_t seed, unsigned a, unsigned v0,
			      unsigned v1, bool el1, int other, unsigned walk)
{
	unsigned n = 0;

	prog_start(seed, 2);
	prog.faults = true;
	prog.el1[0] = el1;
	prog.el1[1] = true;
	prog.ops[0][n++] = (struct op){OP_WAIT, 0, 0};
	prog.ops[0][n++] = (struct op){OP_DW, a, v0};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[0][n++] = (struct op){OP_WV, 0, 1};
	prog.ops[0][n++] = (struct op){OP_DW, a, v1};
	prog.ops[0][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[0][n++] = (struct op){OP_WV, 0, 3};
	prog.nops[0] = n;
	n = 0;
	prog.ops[1][n++] = (struct op){OP_PW, 0, 0};
	prog.ops[1][n++] = (struct op){OP_WAITX, 1, 2};
	prog.ops[1][n++] = (struct op){OP_ISB, 0, 0};
	if (other >= 0)
		prog.ops[1][n++] = (struct op){other ? OP_AT : OP_READ,
					       1 - a, 0};
	prog.ops[1][n++] = (struct op){OP_FREAD, walk, 0};
	prog.nops[1] = n;
}

static void generate_window_parts(uint64_t seed)
{
	unsigned a, v0, v1, walk;
	bool el1;
	int other;

	prog_start(seed, 2);
	a = rnd(2);
	v0 = rnd(3);
	v1 = rnd(3);
	el1 = rnd(2);
	other = (int)rnd(3) - 1;
	walk = rnd(3) ? a : 1 - a;
	window_parts_prog(seed, a, v0, v1, el1, other, walk);
}

/* Plain and reduced outcome sets of generate_window_parts() and of two
 * programs by hand (slot 0 broken and mapped to page 0 again; CPU1
 * reads slot 1 first or not), unbounded, with and without ETS2. Unlike
 * those of dpor_random_window_observed, these lose outcomes when the
 * window's race with a publishing DSB is dropped (every window write
 * counted as observed by nobody) or when a walk's window is taken in
 * the wrong part (the next one): docs/explorer.md gives the counts. */
TEST(dpor_random_window_parts)
{
	for (int other = -1; other < 1; other++) {
		window_parts_prog(9300, 0, 0, 1, false, other, 0);
		compare(9300, "bbm0", VMSA_UNBOUNDED);
		compare(9300, "bbm2+ets2", VMSA_UNBOUNDED);
	}
	plain_cap = 20000;
	left_out = 0;
	for (uint64_t seed = 9310 + seed_shift();
	     seed < 9370 + seed_shift(); seed++) {
		generate_window_parts(seed);
		compare(seed, seed % 2 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	if (!seed_shift())
		CHECK_EQ(left_out, 15);
	plain_cap = 0;
}

/* Stale TLB hits against old memory values (generate_tlb_stale), without
 * relaxed: each of these footprint mutations loses outcomes in some of
 * these programs (docs/explorer.md, "The TLB in parts"): a TLBI
 * completion that touches no TLB, a TLBI by VA completion that touches
 * only the large part, a store that does not write the parts of the
 * TLBs it gives old values to, a walk that does not read its unit's
 * part (measured: 12, 5, 5 and 7 of these 40 programs). At bound 2:
 * unbounded, the searches without the reduction take millions of
 * executions (the fault handler's store races with every other step). */
TEST(dpor_random_tlb_stale)
{
	for (uint64_t seed = 4300 + seed_shift();
	     seed <= 4339 + seed_shift(); seed++) {
		generate_tlb_stale(seed);
		compare(seed, (seed / 4) % 2 ? "bbm0" : "bbm2+ets2", 2);
	}
}

/* TLBI completions whose removals commute (generate_tlb_removals):
 * two completions that remove entries from one TLB are independent
 * (footprint.h, FP_SUB_DEL), a completion and a walk or a store of that
 * TLB's part are not. Two CPUs unbounded, three at bounds 1 and 2; with
 * and without ETS2 (the issuer keeps nothing), under relaxed (where
 * removals are plain writes: another CPU's broadcast TLBI retires what
 * it deletes from the held set, not from the retiring set). */
TEST(dpor_random_tlb_removals)
{
	static const char *const configs[] = {
		"bbm0", "bbm2+ets2", "bbm0+relaxed", "bbm1",
	};

	for (uint64_t seed = 5600 + seed_shift();
	     seed <= 5679 + seed_shift(); seed++) {
		generate_tlb_removals(seed, 2);
		compare(seed, configs[seed % 4], 2);
	}
	for (uint64_t seed = 5700 + seed_shift();
	     seed <= 5719 + seed_shift(); seed++) {
		generate_tlb_removals(seed, 3);
		compare(seed, configs[seed % 4], 1);
	}
}

/* TLBI completions whose uncachings of a context commute
 * (generate_ctx_uncache): two completions that may each uncache the
 * kernel's context from a CPU that caches it without using it are
 * independent (footprint.h, fp_tlb_ctx_uncache); the uncaching one is
 * dependent with the stores that read whether the CPU caches the
 * context, the one that found it uncached with an AT that caches it.
 * Two CPUs at bound 2 (unbounded, their plain searches ran for
 * minutes: the fault handler's store races with every other step),
 * three at bound 1; with and without ETS2, under relaxed, at BBM level
 * 1. When written, seeds 5904, 5914, 5923, 5928 and 5935 (three CPUs)
 * lost outcomes when an uncaching was recorded as a look without its
 * write of the contexts some CPU caches (FP_OBJ_CACHED), or recorded
 * nothing: a store that gives the CPU an old value, kept in its
 * retiring set by its own VMALLE1, was then independent of the
 * completion that uncaches. Checked again on 2026-12-06, they no longer
 * do: the uncaching as a look, and every conflict of FP_OBJ_CACHED,
 * FP_OBJ_TLBCTX and FP_OBJ_TLBUSE left out together, keep every outcome
 * of these programs (which later change made the difference was not
 * traced), so this test guards those objects no more than any other
 * test does (docs/explorer.md, "Which dependencies the tests guard"). */
TEST(dpor_random_ctx_uncache)
{
	static const char *const configs[] = {
		"bbm0", "bbm2+ets2", "bbm0+relaxed", "bbm1",
	};

	for (uint64_t seed = 5800 + seed_shift();
	     seed <= 5859 + seed_shift(); seed++) {
		generate_ctx_uncache(seed, 2);
		compare(seed, configs[seed % 4], 2);
	}
	for (uint64_t seed = 5900 + seed_shift();
	     seed <= 5979 + seed_shift(); seed++) {
		generate_ctx_uncache(seed, 3);
		compare(seed, configs[seed % 4], 1);
	}
}

/* The TLB in parts under the feature relaxed, where the ordering model
 * also keeps the completed TLBIs and the accesses' translations
 * (FP_OBJ_TLBIS: a TLBI's completion and the walks, accesses and faults
 * whose entry it matches; footprint.h, fp_tlbis_*). The tlb_split mix:
 * a TLBI by VA of one slot completing while the other CPU walks the
 * other slot, stores to one slot while the other is walked; with and
 * without ETS2, unbounded on two CPUs and at bound 1 on three. */
TEST(dpor_random_tlb_split_relaxed)
{
	kinds = tlb_split;
	n_kinds = sizeof(tlb_split) / sizeof(tlb_split[0]);
	for (uint64_t seed = 5000 + seed_shift();
	     seed <= 5031 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 5200 + seed_shift();
	     seed <= 5239 + seed_shift(); seed++) {
		generate_tlbi_race(seed);
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			2);
	}
	for (uint64_t seed = 5100 + seed_shift();
	     seed <= 5105 + seed_shift(); seed++) {
		generate(seed, 3, 1, true, false);
		prog.el1[0] = true;
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm2+ets2+relaxed",
			1);
	}
	/* A context synchronisation event against a TLBI completion that
	 * retires an entry into its CPU's TLB (FP_OBJ_RETIRED) or not. */
	for (uint64_t seed = 5300 + seed_shift();
	     seed <= 5329 + seed_shift(); seed++) {
		generate_cse_retire(seed);
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			2);
	}
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* A walk TLBI-before a completed TLBI of another CPU (tlbi_late.c): the
 * step that joins its view into the issuer's views and checks the
 * issuer's later reads reads those reads' words and writes the issuer's
 * views, no longer the order of writes (FP_OBJ_ORDER). Two CPUs at
 * bound 2, three at bound 1 (a third CPU's write of the word the issuer
 * read, or of another word), with and without ETS2. */
TEST(dpor_random_tlbi_late_relaxed)
{
	for (uint64_t seed = 5400 + seed_shift();
	     seed <= 5429 + seed_shift(); seed++) {
		generate_tlbi_late(seed, 2);
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			2);
	}
	for (uint64_t seed = 5500 + seed_shift();
	     seed <= 5519 + seed_shift(); seed++) {
		generate_tlbi_late(seed, 3);
		compare(seed, seed % 2 ? "bbm0+relaxed" : "bbm0+ets2+relaxed",
			1);
	}
}

/* The allocation programs of seeds two .. two + 40 on two CPUs
 * unbounded and three .. three + 6 on three CPUs at bounds 0 and 1, in
 * the mix mix (n kinds), with allocations of many pages when big. */
static void alloc_programs(const enum op_kind *mix, unsigned n, bool big,
			   uint64_t two, uint64_t three)
{
	kinds = mix;
	n_kinds = n;
	gen_alloc = true;
	gen_big = big;
	for (uint64_t seed = two + seed_shift();
	     seed <= two + 40 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = three + seed_shift();
	     seed <= three + 6 + seed_shift(); seed++) {
		generate(seed, 3, 1, true, false);
		for (int bound = 0; bound <= 1; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	gen_big = false;
	gen_alloc = false;
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* Allocation and free no longer touch everything: one CPU allocates,
 * frees (the page another CPU's slot maps, or its own), maps and reads
 * pages while the other walks and reads, unbounded on two CPUs (both at
 * EL1, or CPU0 at EL2 with the MMU off), at bounds 0 and 1 on three. */
TEST(dpor_random_alloc)
{
	alloc_programs(alloc_mix, sizeof(alloc_mix) / sizeof(alloc_mix[0]),
		       false, 5000, 5100);
}

/* Allocations of many pages no longer touch everything either (their
 * pages' state by 2 MiB region, footprint.h): the same programs with
 * OP_ALLOC taking, half the time, 20 pages (part of a region) or a
 * 2 MiB block (a region whole), in a mix of its own (alloc_many_mix),
 * OP_FREE acting on all of it, OP_AREAD reading the last page of the
 * CPU's own allocation or of the block (a use after free before its
 * allocation, 0 after) and OP_ISFREE asking whether that page of the
 * block is free, with the data word written and read (the outcome
 * "saw the other CPU's write, then the block still free" needs the
 * allocation and the question reversed after the write's race), against
 * the other CPU's walks and reads. */
TEST(dpor_random_alloc_many)
{
	alloc_programs(alloc_many_mix,
		       sizeof(alloc_many_mix) / sizeof(alloc_many_mix[0]), true,
		       5200, 5300);
}

/*
 * Stage 2 (dpor_random_s2): a hypervisor on CPU0 (at EL2) rewrites
 * stage-2 leaves while guests (CPU1, CPU2: EL1 with their own stage 1)
 * read through both stages. A stage-2 leaf store is structural (the
 * table structure of every context: footprint.h) only when a stage-1
 * table sits at an IPA it maps (write.c, s2_leaf_moves_s1()): the slots
 * are the data page's IPA (not structural) and the IPAs of the guest's
 * level-2 and level-3 tables (structural), made invalid, mapped back,
 * the data page moved to the other host page or onto the guest's
 * level-3 table, whose entries the guest then writes as data (a
 * descriptor store exactly while the table's IPA is mapped). A guest's
 * stage-2 fault maps the faulting IPA back on its own CPU (at EL2:
 * store, DSB) and retries; a stage-1 fault (the second VA, unmapped at
 * set-up) maps that VA.
 */
static const vmsa_ipa_t s2_slot_ipa[3] = {
	VMSA_GUEST_IPA_PAGE, VMSA_GUEST_IPA_RAM + 0x1000,
	VMSA_GUEST_IPA_RAM + 0x2000,
};

/* The host page IPA ipa is mapped to at set-up (the guest's tables are
 * its first pages of RAM). */
static vmsa_pa_t s2_home(const struct vmsa_guest *g, vmsa_ipa_t ipa)
{
	if (ipa >= VMSA_GUEST_IPA_PAGE)
		return g->page[0];
	return g->tab[(ipa - VMSA_GUEST_IPA_RAM) >> 12];
}

/* Slot a's stage-2 entry for value b: 0 invalid; 1 home; for the data
 * page, 2 the other host page and 3 the guest's level-3 table (its
 * writes through VMSA_KERNEL_VA then land in its own table: descriptor
 * stores exactly while the table's IPA is mapped, which the structure
 * says). */
static uint64_t s2_value(const struct vmsa_guest *g, unsigned a, unsigned b)
{
	if (b == 0)
		return 0;
	if (a == 0 && b >= 2)
		return vmsa_guest_s2_pte(g, b == 2 ? g->page[1] : g->tab[2]);
	return vmsa_guest_s2_pte(g, s2_home(g, s2_slot_ipa[a]));
}

static void s2_hyp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);

	memset(got[cpu], 0, sizeof(got[cpu]));
	vmsa_guest_hyp_load(r, cpu);
	for (unsigned i = 0; i < prog.nops[cpu] && !vmsa_stopped(m); i++) {
		const struct op *o = &prog.ops[cpu][i];
		vmsa_ipa_t ipa = s2_slot_ipa[o->a % 3];

		switch (o->k) {
		case OP_DW:
			vmsa_desc_write_pa(m, cpu, vmsa_guest_s2_pte_pa(g, ipa),
					   s2_value(g, o->a % 3, o->b));
			break;
		case OP_TLBI:
			vmsa_guest_tlbi(r, cpu, o->a == 0 ? VMSA_TLBI_IPAS2E1 :
					o->a == 1 ? VMSA_TLBI_VMALLE1 :
						    VMSA_TLBI_VMALLS12E1,
					s2_slot_ipa[o->b % 3]);
			break;
		default:
			vmsa_dsb(m, cpu, VMSA_BAR_ISH);
			break;
		}
	}
}

static void s2_guest(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	memset(got[cpu], 0, sizeof(got[cpu]));
	vmsa_guest_enter(r, cpu, true);
	for (unsigned i = 0; i < prog.nops[cpu] && !vmsa_stopped(m); i++) {
		const struct op *o = &prog.ops[cpu][i];

		if (o->k == OP_ISB)
			vmsa_isb(m, cpu);
		else if (o->k == OP_PW)
			/* Entry 2 of the level-3 table when the data page is
			 * that table: VMSA_KERNEL_VA_NEW -> the data IPA. */
			vmsa_write(m, cpu, VMSA_KERNEL_VA + 16, 8,
				   vmsa_kernel_pte(VMSA_GUEST_IPA_PAGE));
		else
			vmsa_read(m, cpu, o->a ? VMSA_KERNEL_VA_NEW :
					       VMSA_KERNEL_VA, 8, &got[cpu][i]);
	}
}

/* A guest's stage-1 fault (VMSA_KERNEL_VA_NEW unmapped): its kernel maps
 * it (store, DSB, ISB) and retries. */
static void s2_s1_map(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	struct vmsa_guest *g = vmsa_guest_of(arg);

	(void)e;
	vmsa_desc_write_pa(m, cpu, g->tab[2] + 16,
			   vmsa_kernel_pte(VMSA_GUEST_IPA_PAGE));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

static void s2_map_back(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct vmsa_guest *g = vmsa_guest_of(arg);
	vmsa_ipa_t ipa = e->hpfar_valid ? (e->hpfar >> 4) << 12 :
					  VMSA_GUEST_IPA_PAGE;

	vmsa_desc_write_pa(m, cpu, vmsa_guest_s2_pte_pa(g, ipa),
			   vmsa_guest_s2_pte(g, s2_home(g, ipa)));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

static void s2_setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
}

static void s2_outcome(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v)
{
	struct u64_vec *out = ctx;
	uint64_t h = 0xcbf29ce484222325ull;

	if (v) {
		h = violation_hash(h, v);
	} else {
		vmsa_machine_t *m = vmsa_run_machine(r);
		const struct vmsa_guest *g = vmsa_guest_of(r);

		h = fnv(h, "S", 1);
		h = fnv(h, got, sizeof(got));
		for (unsigned s = 0; s < 3; s++)
			h = fnv(h, vmsa_pa_cptr(m, vmsa_guest_s2_pte_pa(
						g, s2_slot_ipa[s])), 8);
		h = fnv(h, vmsa_pa_cptr(m, g->tab[2] + 16), 8);
		h = fnv(h, vmsa_pa_cptr(m, g->page[0] + 16), 8);
	}
	(void)u64_vec_push(out, h);
}

static vmsa_scenario_t s2_scen = {
	.name = "test/dpor-random-s2",
	.setup = s2_setup,
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

/* The hypervisor's operations: stage-2 stores (mostly), TLBIs, DSBs;
 * the guests': reads and ISBs. */
static const enum op_kind s2_hyp_mix[] = {
	OP_DW, OP_DW, OP_DW, OP_DW, OP_TLBI, OP_TLBI, OP_DSB, OP_DSB,
};

static const enum op_kind s2_guest_mix[] = {
	OP_READ, OP_READ, OP_READ, OP_ISB, OP_PW,
};

static void s2_generate(uint64_t seed, unsigned ncpus, unsigned ops)
{
	prog_start(seed, ncpus);
	for (unsigned c = 0; c < ncpus; c++) {
		prog.nops[c] = 2 + rnd(ops);
		for (unsigned i = 0; i < prog.nops[c]; i++) {
			struct op *o = &prog.ops[c][i];

			o->k = c ? s2_guest_mix[rnd(sizeof(s2_guest_mix) /
						    sizeof(s2_guest_mix[0]))] :
				   s2_hyp_mix[rnd(sizeof(s2_hyp_mix) /
						  sizeof(s2_hyp_mix[0]))];
			o->a = rnd(c ? 2 : 3);
			o->b = rnd(4);
		}
	}
}

#define S2_PLAIN_CAP 40000

static void s2_compare(uint64_t seed, const char *config, int bound)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	struct u64_vec a = {0}, b = {0};
	vmsa_explore_stats_t sa, sb;
	char err[200];

	for (unsigned c = 0; c < VMSA_MAX_CPUS; c++) {
		s2_scen.cpu[c] = c >= prog.ncpus ? NULL : c ? s2_guest : s2_hyp;
		s2_scen.handler[c][2] = c && c < prog.ncpus ? s2_map_back :
							      NULL;
		s2_scen.handler[c][1] = c && c < prog.ncpus ? s2_s1_map : NULL;
	}
	o.preemptions = bound;
	if (getenv("DPR_DEBUG")) {
		for (unsigned c = 0; c < prog.ncpus; c++) {
			fprintf(stderr, "CPU%u el1=%d:", c, prog.el1[c]);
			for (unsigned i = 0; i < prog.nops[c]; i++)
				fprintf(stderr, " %d(%u,%u)", prog.ops[c][i].k, prog.ops[c][i].a, prog.ops[c][i].b);
			fprintf(stderr, "\n");
		}
	}
	o.reduction = false;
	/* Programs whose plain search is larger are left out (the test's
	 * time). */
	o.max_executions = S2_PLAIN_CAP;
	CHECK_EQ(explore_outcomes(&s2_scen, config, &o, s2_outcome, &a, &sa,
				  err, sizeof(err)), 0);
	if (sa.executions >= S2_PLAIN_CAP) {
		u64_vec_free(&a);
		return;
	}
	o.max_executions = 0;
	o.reduction = true;
	CHECK_EQ(explore_outcomes(&s2_scen, config, &o, s2_outcome, &b, &sb,
				  err, sizeof(err)), 0);
	same_outcomes("stage 2, ", seed, config, bound, &a, &b, &sa, &sb);
}

/* Unbounded on two CPUs, at bounds 0 and 1 on three (two guests). */
TEST(dpor_random_s2)
{
	for (uint64_t seed = 6000 + seed_shift();
	     seed <= 6040 + seed_shift(); seed++) {
		s2_generate(seed, 2, 2);
		s2_compare(seed, seed % 2 ? "bbm0" : "bbm2", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 6100 + seed_shift();
	     seed <= 6106 + seed_shift(); seed++) {
		s2_generate(seed, 3, 1);
		for (int bound = 0; bound <= 1; bound++)
			s2_compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
}

/*
 * One program of generator g of this file (dpor_random_bounds): its
 * configuration, or NULL for stage 2 (s2_compare's scenario).
 */
static const char *bounds_program(unsigned g, uint64_t seed)
{
	bool odd = seed % 2;

	gen_alloc = gen_big = false;
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
#define MIX(m) (kinds = (m), n_kinds = sizeof(m) / sizeof((m)[0]))
	switch (g) {
	case 0:
		generate(seed, 3, 1, false, false);
		return odd ? "bbm0" : "bbm1";
	case 1:
		generate(seed, 2, 1, true, true);
		return odd ? "bbm0" : "bbm2+ets2";
	case 2:
		MIX(windows);
		generate(seed, 2, 1, true, false);
		prog.el1[0] = true;
		return odd ? "bbm0+relaxed" : "bbm0+ets2";
	case 3:
		MIX(windows_explicit);
		generate(seed, 2, 2, true, false);
		prog.el1[0] = true;
		return odd ? "bbm0+ets2+relaxed" : "bbm2+ets3+relaxed";
	case 4:
		MIX(tlb_split);
		generate(seed, 3, 1, true, false);
		prog.el1[0] = true;
		return odd ? "bbm0+relaxed" : "bbm1";
	case 5:
		MIX(alloc_mix);
		gen_alloc = true;
		generate(seed, 3, 1, true, false);
		return odd ? "bbm0" : "bbm1";
	case 6:
		MIX(alloc_many_mix);
		gen_alloc = gen_big = true;
		generate(seed, 3, 1, true, false);
		return odd ? "bbm0" : "bbm1";
	case 7:
		MIX(waits);
		generate(seed, 3, 1, true, false);
		writers_for_waits();
		return odd ? "bbm0" : "bbm1";
	case 8:
		MIX(waits_x);
		generate(seed, 3, 2, true, false);
		return odd ? "bbm0" : "bbm1";
	case 9:
		generate_tlbi_race(seed);
		return odd ? "bbm0+relaxed" : "bbm0+ets2+relaxed";
	case 10:
		generate_tlb_stale(seed);
		return odd ? "bbm0" : "bbm2+ets2";
	case 11:
		generate_cse_retire(seed);
		return odd ? "bbm0+relaxed" : "bbm0+ets2+relaxed";
	default:
		s2_generate(seed, 3, 1);
		return NULL;
	}
#undef MIX
}

/*
 * The reduction under a bound (docs/explorer.md, "With a preemption
 * bound"): every generator of this file (three CPUs where it takes a
 * number of CPUs), a few programs each, at bounds 1, 2 and 3, plain
 * against reduced. Before the block start got every initial of the
 * reversed sequence and not only the race's later CPU
 * (race_bounded()), waits_x's seed 8806 lost one outcome of 25 at
 * bound 2 (as 7308 in dpor_random_waits did at bound 1). Programs whose plain search passes
 * 40,000 executions are left out (4; the test's time; 20,000 and 17 left
 * out until the C API's descriptor stores took their earliest place
 * under relaxed: seeds 8311 and 8405 at bound 3 grew to 37,337 and
 * 31,150).
 */
TEST(dpor_random_bounds)
{
	const unsigned n_gen = 13, per_gen = 12;

	plain_cap = 40000;
	left_out = 0;
	for (unsigned g = 0; g < n_gen; g++)
		for (uint64_t seed = 8000 + 100 * g + seed_shift();
		     seed < 8000 + 100 * g + per_gen + seed_shift(); seed++)
			for (int bound = 1; bound <= 3; bound++) {
				const char *cfg = bounds_program(g, seed);

				if (cfg)
					compare(seed, cfg, bound);
				else
					s2_compare(seed, seed % 2 ? "bbm0" :
						   "bbm1", bound);
			}
	if (!seed_shift())
		CHECK_EQ(left_out, 4);
	plain_cap = 0;
	gen_alloc = gen_big = false;
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

/* A program of the races the structure by page decides: CPU0 (at EL2
 * two times in three: its stores then race with CPU1's start of caching
 * the kernel's context) writes slot s's word in t2 or l3 as data,
 * maybe a DSB, then the data word (a flag); CPU1 (at EL1) maybe links
 * t2 at the level-2 entry as set-up or breaks it (a CPU's store and a
 * DSB), reads
 * the flag and walks slot s, maybe one more operation of the structure
 * mix. The outcome "flag seen, old value walked" needs the store to be
 * a descriptor store (pending, unpublished) made after CPU1's link or
 * caching: the reduction must order the two although the store, made
 * first as data, touches nothing else the link or the caching does. */
static void generate_structure(uint64_t seed)
{
	unsigned s, link, w, o, n = 0;

	prog_start(seed, 2);
	prog.structure = true;
	prog.faults = true;
	/* Either CPU may be the writer: which one the search runs first
	 * decides whether the store is first made as data. */
	w = rnd(2);
	o = 1 - w;
	prog.el1[w] = rnd(3) == 0;
	prog.el1[o] = true;
	s = rnd(2);
	prog.ops[w][n++] = (struct op){OP_TW, rnd(2), s};
	if (rnd(3) == 0)
		prog.ops[w][n++] = (struct op){OP_DSB, 0, 0};
	prog.ops[w][n++] = (struct op){OP_PW, 0, 0};
	prog.nops[w] = n;
	n = 0;
	/* t2 in place of l3 as set-up (a CPU's store would be a
	 * break-before-make violation), made in the step of an ISB (a store
	 * by no CPU belongs to the step before it: a step that touches
	 * nothing the writer's does, so that only the structure orders the
	 * two), or a break of the entry by the CPU, visible to its walks
	 * after its DSB. */
	link = rnd(4);
	if (link >= 2) {
		prog.ops[o][n++] = (struct op){OP_ISB, 0, 0};
		prog.ops[o][n++] = (struct op){OP_LINK, 1, 1};
	} else if (link == 1) {
		prog.ops[o][n++] = (struct op){OP_LINK, 2, 0};
		prog.ops[o][n++] = (struct op){OP_DSB, 0, 0};
	}
	prog.ops[o][n++] = (struct op){OP_PR, 0, 0};
	prog.ops[o][n++] = (struct op){OP_READ, s, 0};
	if (rnd(2)) {
		enum op_kind k = structure_mix[rnd(sizeof(structure_mix) /
						    sizeof(structure_mix[0]))];

		prog.ops[o][n++] = (struct op){k, k == OP_LINK ? rnd(3) :
						  rnd(2), rnd(2)};
	}
	prog.nops[o] = n;
}

/*
 * The table structure by page (footprint.h, FP_OBJ_STRUCT;
 * docs/explorer.md, "Table structure by page"): whether a data write of
 * a word of t2 or l3 is a descriptor store (a history, visible to walks
 * only after its CPU's DSB) or data (visible at once) depends on
 * whether its page is linked as a table of a cached context when it is
 * made. The level-2 entry is rewritten by a CPU's descriptor store or
 * as set-up inside a CPU's step (a store by no CPU), to l3, to t2 or to
 * nothing; CPU1 enters EL1 (caching the kernel's context) while CPU0
 * stays at EL2 three times in four, so that a context's start of being
 * cached races with the stores. Unbounded on two CPUs, at bounds 0 and
 * 1 on three; programs whose plain search passes 40,000 executions are
 * left out.
 */
TEST(dpor_random_structure)
{
	kinds = structure_mix;
	n_kinds = sizeof(structure_mix) / sizeof(structure_mix[0]);
	plain_cap = 40000;
	left_out = 0;
	for (uint64_t seed = 7000 + seed_shift();
	     seed <= 7060 + seed_shift(); seed++) {
		generate(seed, 2, 2, true, false);
		prog.structure = true;
		prog.faults = true;
		compare(seed, seed % 3 ? "bbm0" : "bbm2+ets2", VMSA_UNBOUNDED);
	}
	/* Two programs of a wider run (seeds 10000 to 10060) where a step
	 * that a break-before-make violation stopped part-way had recorded
	 * less than it touches: CPU1 unlinks the slots' level-3 table and
	 * writes one of its entries, CPU0 links it again; the violation of
	 * CPU1's write (a descriptor store once the table is linked again)
	 * was lost, 2 outcomes of 3 (footprint.c, fp_end()). With the fix,
	 * seed 10025 also loses that outcome when the table structure's
	 * object is left out (the mutant "structure" of
	 * tests/explore/tools/fp-mutants.sh), which nothing else caught. */
	for (unsigned i = 0; i < 2; i++) {
		static const uint64_t wide[] = {10025, 10060};

		generate(wide[i], 2, 2, true, false);
		prog.structure = true;
		prog.faults = true;
		compare(wide[i], "bbm0", VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 7100 + seed_shift();
	     seed <= 7106 + seed_shift(); seed++) {
		generate(seed, 3, 1, true, false);
		prog.structure = true;
		prog.faults = true;
		for (int bound = 0; bound <= 1; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	for (uint64_t seed = 7200 + seed_shift();
	     seed <= 7280 + seed_shift(); seed++) {
		generate_structure(seed);
		compare(seed, seed % 3 ? "bbm0" : "bbm2", VMSA_UNBOUNDED);
	}
	if (!seed_shift())
		CHECK_EQ(left_out, 13);
	plain_cap = 0;
	kinds = weighted;
	n_kinds = sizeof(weighted) / sizeof(weighted[0]);
}

TEST(dpor_random_three_cpus)
{
	for (uint64_t seed = 300 + seed_shift();
	     seed <= 360 + seed_shift(); seed++) {
		generate(seed, 3, 1, false, false);
		for (int bound = 0; bound <= 2; bound++)
			compare(seed, seed % 2 ? "bbm0" : "bbm1", bound);
	}
	fprintf(stderr, "dpor random: %llu executions without reduction, "
		"%llu with\n", (unsigned long long)total_plain,
		(unsigned long long)total_reduced);
}

/*
 * The held-entry rule (docs/model.md, "A walk's older value a held entry
 * gives"; drop_held_values() in src/model/translate.c) against the same
 * search without it (VMSA_ORDER_HPRUNE=0): the plain search of each
 * program, both ways, must reach the same set of outcomes (violations
 * with their messages, final states), with no more executions with the
 * rule. Programs of remaps and reads of two CPUs (generate, unbounded)
 * and of stale TLB entries (generate_tlb_stale, bound 2), each with and
 * without relaxed and ETS2. Some programs must make
 * fewer executions with the rule (it left values out): a test that could
 * not fail otherwise.
 */
static void compare_held_rule(uint64_t seed, const char *config, int bound)
{
	held_ref = true;
	compare_runs(seed, config, bound, false);
	held_ref = false;
}

TEST(dpor_random_held_rule)
{
	static const char *const configs[] = {
		"bbm0", "bbm2+ets2", "bbm0+relaxed", "bbm2+ets2+relaxed",
	};

	held_fewer = 0;
	for (uint64_t seed = 1 + seed_shift();
	     seed <= 60 + seed_shift(); seed++) {
		generate(seed, 2, 2, false, false);
		compare_held_rule(seed, configs[seed % 4], VMSA_UNBOUNDED);
	}
	for (uint64_t seed = 4300 + seed_shift();
	     seed <= 4339 + seed_shift(); seed++) {
		generate_tlb_stale(seed);
		compare_held_rule(seed, configs[(seed / 4) % 4], 2);
	}
	CHECK(held_fewer > 0);
}
