/*
 * scenarios/seeds/contpte.c - Seed 000: FEAT_BBM level 2 and TLB conflict
 * aborts, on Linux's contiguous-PTE folding (docs/seeds.md, Seed 000).
 *
 * A kernel at EL1&0 (vmsa/guest.h) folds 16 user pages into one
 * contiguous range: it rewrites all 16 level-3 entries with the
 * Contiguous bit, same output addresses and attributes, without a break,
 * as contpte_convert() does on CPUs with BBML2_NOABORT. A user task on
 * CPU1 reads the range meanwhile.
 *
 * The architecture (D8.17.2): changing the Contiguous bit needs no break
 * at FEAT_BBM level 1 or 2 (RKHRBC), but while a TLB may hold entries of
 * both sizes, or the range is half written (RQTRPM), an access may take a
 * TLB conflict abort (RFCPSG, IHYQMB); only TLB maintenance removes it
 * (ICFFVK: VMALLE1 for a regime without stage 2, IJCCRT). At level 0
 * a Contiguous change needs break-before-make (RNGLXZ). An implementation
 * that never raises the abort is the model's bbm2-noabort.
 *
 * The Linux handlers modelled (EL1, for aborts from the user task):
 *  - the fatal one, as Linux today: FSC 0x30 goes to do_bad, and the task
 *    gets SIGBUS: a conflict-abort-unhandled violation;
 *  - the proposed one: local TLBI VMALLE1; DSB NSH; ISB, then retry.
 *    Its retry waits until the folding CPU has written and published
 *    (DSB) the range: a retry loop that spins while CPU0 makes progress
 *    on real hardware, but which the explorer's bounded search could
 *    otherwise run forever while CPU0 is never scheduled (a livelock of
 *    the search, not of the machine). The wait is a read of a flag; it
 *    does not make the handler's own TLBI unnecessary (CPU0's broadcast
 *    invalidation, when there is one, comes after the flag).
 * A translation fault (after an unmap) is demand paging: the handler
 * maps a fresh zeroed page, as do_anonymous_page() does.
 */
#include "vmsa/guest.h"

#define CP_N 16                  /* entries of a 4K contiguous range */
#define CP_USER_VA 0x10000ull    /* 64K aligned: slots 16..31 of the L3 */
#define CP_STACK_VA 0x1000ull    /* the handler's stack: slot 1 of the
				    kernel's own contiguous-capable range
				    [0, 64K) */
#define CP_MARK(i) (0xc0ull + (i)) /* word 0 of user page i */

/* What set-up leaves for the CPUs (struct vmsa_kernel first, so that the
 * vmsa/guest.h kernel helpers work). */
struct cp {
	struct vmsa_kernel k;
	vmsa_pa_t user;   /* 16 user pages, 64K aligned */
	vmsa_pa_t kmem;   /* 16 kernel pages for VA [0, 64K), 64K aligned */
};

static struct cp *cp_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

/* A user page: EL0 and EL1 read-write, not global (the task's ASID is
 * the kernel's VMSA_KERNEL_ASID here), privileged execute never. */
static uint64_t user_pte(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_ALL, VMSA_SH_ISH, true) |
	       VMSA_D_NG | VMSA_D_PXN;
}

static vmsa_pa_t pte_pa(const struct cp *c, vmsa_va_t va)
{
	return vmsa_kernel_pte_pa(&c->k, va);
}

/*
 * Set-up: the kernel's tables (vmsa_kernel_setup), its VA [0, 64K)
 * remapped to 16 kernel pages (the handler's stack at CP_STACK_VA), the
 * 16 user pages at CP_USER_VA, page entries without the Contiguous bit.
 * The kernel is running on CPU0 and the task on CPU1 (at EL0) when the
 * fold starts: both enter in set-up (docs/explorer.md, "CPUs already
 * running: enter in set-up"), so their walks may have been made from
 * the first step on and the search does not place their entries among
 * the fold's stores.
 */
static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct cp *c = cp_of(r);

	vmsa_kernel_setup(r);
	c->user = vmsa_page_alloc(m, VMSA_SETUP, CP_N, CP_N);
	c->kmem = vmsa_page_alloc(m, VMSA_SETUP, CP_N, CP_N);
	for (unsigned i = 0; i < CP_N; i++) {
		vmsa_pa_t u = c->user + 0x1000ull * i;

		vmsa_desc_write_pa(m, VMSA_SETUP,
				   pte_pa(c, CP_USER_VA + 0x1000ull * i),
				   user_pte(u));
		vmsa_phys_write(m, VMSA_SETUP, u, 8, CP_MARK(i), true);
		vmsa_desc_write_pa(m, VMSA_SETUP, pte_pa(c, 0x1000ull * i),
				   vmsa_kernel_pte(c->kmem + 0x1000ull * i));
	}
	vmsa_kernel_enter(r, 0);
	vmsa_kernel_enter(r, 1);
	vmsa_eret(m, 1, 0);
}

/* ---------------------------------------------------------------------
 * CPU0: the kernel folding (and unfolding, unmapping) the range
 * ------------------------------------------------------------------- */

/* Rewrite the 16 entries of the range at va with (cont) or without the
 * Contiguous bit, no break: contpte_convert() under BBML2_NOABORT. */
static void convert(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_va_t va, bool user,
		    bool cont)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct cp *c = cp_of(r);
	vmsa_pa_t base = user ? c->user : c->kmem;

	for (unsigned i = 0; i < CP_N; i++) {
		uint64_t d = user ? user_pte(base + 0x1000ull * i) :
				    vmsa_kernel_pte(base + 0x1000ull * i);

		vmsa_desc_write_pa(m, cpu, pte_pa(c, va + 0x1000ull * i),
				   cont ? d | VMSA_D_CONT : d);
	}
}

/* TLBI RVAE1IS (ASID VMSA_KERNEL_ASID) or RVALE1IS for the 64K of the
 * user range: 16 pages = (NUM + 1) * 2^(5 * SCALE + 1), SCALE 0, NUM 7;
 * Linux's __flush_tlb_range() with range operations. One step. */
static void tlbi_user_range(vmsa_run_t *r, vmsa_cpu_t cpu, bool last)
{
	vmsa_tlbi_op_t op = {.type = last ? VMSA_TLBI_RVALE1 :
					    VMSA_TLBI_RVAE1,
			     .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_range(CP_USER_VA, VMSA_KERNEL_ASID,
				  VMSA_GRANULE_4K, 0, 7, -1));
}

/* contpte/fold: the fold, DSB ISH (published: the flag), then the
 * range invalidated from every TLB (TLBI RVAE1IS; DSB ISH). */
static void fold_flush(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	convert(r, cpu, CP_USER_VA, true, true);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_remap_done(r, cpu);
	tlbi_user_range(r, cpu, false);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/* contpte/fold-no-tlbi: upstream's sequence with the TLBI elided: the
 * fold, DSB ISH; later the unfold the same way; then the unmap as
 * zap_pte_range() does it: every entry cleared, DSB ISH, TLBI RVALE1IS
 * for the range, DSB ISH, the pages freed. The flag goes to 1 after the
 * fold's DSB (the handler's wait, above). */
static void fold_unfold_unmap(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct cp *c = cp_of(r);

	convert(r, cpu, CP_USER_VA, true, true);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_remap_done(r, cpu);
	convert(r, cpu, CP_USER_VA, true, false);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	for (unsigned i = 0; i < CP_N; i++)
		vmsa_desc_write_pa(m, cpu,
				   pte_pa(c, CP_USER_VA + 0x1000ull * i), 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_user_range(r, cpu, true);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_page_free(m, cpu, c->user, CP_N);
	vmsa_phys_write(m, cpu, c->k.flag, 8, 2, true);
}

/* contpte/handler-recursion: the fold with its TLBI elided, DSB ISH. */
static void fold_only(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	convert(r, cpu, CP_USER_VA, true, true);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_remap_done(r, cpu);
}

/* contpte/handler-recursion-stack: the kernel also folds its own
 * mapping of [0, 64K), where the handler's stack is, without a break
 * (the kernel's linear map under BBML2_NOABORT), before the user fold. */
static void fold_stack_too(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	convert(r, cpu, 0, false, true);
	convert(r, cpu, CP_USER_VA, true, true);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_remap_done(r, cpu);
}

/* ---------------------------------------------------------------------
 * CPU1: the user task and the kernel's handlers for it
 * ------------------------------------------------------------------- */

/* The task reads pages 1 and 0 of the range: each reads as itself, or
 * as a fresh zero page once the range was unmapped and faulted in
 * again. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	static const unsigned pages[] = {1, 0};
	uint64_t v;

	for (unsigned i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, CP_USER_VA + 0x1000ull * pages[i], 8,
			       &v))
			return;
		vmsa_assert(r, cpu, v == CP_MARK(pages[i]) || v == 0,
			    "a user page reads as another page");
	}
}

static bool is_conflict(const struct vmsa_exception *e)
{
	return e->is_mmu_fault && e->fault.kind == VMSA_FAULT_TLB_CONFLICT;
}

/* Demand paging of a user page (do_anonymous_page()): a zeroed page, its
 * entry written, DSB ISHST (set_pte()). Invalid to valid: no TLBI. */
static void fault_in(vmsa_run_t *r, vmsa_cpu_t cpu,
		     const struct vmsa_exception *e)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t page;

	/* The fault path takes the mmap lock the unmap holds. */
	vmsa_wait_eq(r, cpu, cp_of(r)->k.flag, ~0ull, 2);
	page = vmsa_page_alloc(m, cpu, 1, 1);

	vmsa_desc_write_pa(m, cpu, pte_pa(cp_of(r), e->far & ~0xfffull),
			   user_pte(page));
	vmsa_dsb(m, cpu, VMSA_BAR_ISHST);
}

/* Anything but a conflict or a user translation fault kills the task. */
static bool other_abort(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, vmsa_run_t *r)
{
	if (is_conflict(e))
		return false;
	if (e->from_el == 0 && e->is_mmu_fault &&
	    e->fault.kind == VMSA_FAULT_TRANSLATION) {
		fault_in(r, cpu, e);
		return true;
	}
	vmsa_report(m, cpu, VMSA_V_UNHANDLED_ABORT,
		    "the kernel's abort handler: an abort it does not handle");
	return true;
}

/* Linux today: FSC 0x30 is do_bad(); the task gets SIGBUS. */
static void fatal_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	if (other_abort(m, cpu, e, arg))
		return;
	vmsa_report(m, cpu, VMSA_V_CONFLICT_UNHANDLED,
		    "TLB conflict abort (FSC 0x30) taken by Linux's do_bad(): "
		    "the task is killed with SIGBUS");
}

/* The proposed handler: local TLBI VMALLE1; DSB NSH; ISB; retry (after
 * the wait the header explains). Exception entry first saves the
 * interrupted context on the kernel stack at CP_STACK_VA. */
static void tlbi_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_VMALLE1, .sh = VMSA_TLBI_NSH};

	if (!vmsa_write(m, cpu, CP_STACK_VA, 8, e->esr))
		return;
	if (other_abort(m, cpu, e, r))
		return;
	vmsa_wait_ne(r, cpu, cp_of(r)->k.flag, ~0ull, 0);
	vmsa_tlbi(m, cpu, op, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_NSH);
	vmsa_isb(m, cpu);
}

#define CP_SCENARIO(ident, sname, sdoc, fn, h, ...)                      \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc, .setup = setup, \
		      .cpu = {fn, reader}, .handler = {[1] = {[1] = h}},  \
		      .configs = {__VA_ARGS__})

CP_SCENARIO(contpte_fold, "contpte/fold",
	    "fold 16 user PTEs into a contiguous range (no break, TLBI after) "
	    "while the task reads it; Linux's fatal handler for FSC 0x30",
	    fold_flush, fatal_handler,
	    {.name = "bbm0", .expect = "bbm"},
	    {.name = "bbm2", .expect = "conflict-abort-unhandled"},
	    {.name = "bbm2-noabort", .expect = "safe"})

CP_SCENARIO(contpte_fold_handled, "contpte/fold-handled",
	    "contpte/fold with a conflict abort handler: local TLBI "
	    "VMALLE1, DSB NSH, ISB, retry",
	    fold_flush, tlbi_handler,
	    {.name = "bbm2", .expect = "safe"})

CP_SCENARIO(contpte_fold_no_tlbi, "contpte/fold-no-tlbi",
	    "fold and unfold with the TLBI elided (upstream on "
	    "BBML2_NOABORT), then unmap with TLBI RVALE1IS and free",
	    fold_unfold_unmap, fatal_handler,
	    {.name = "bbm2-noabort", .expect = "safe"},
	    {.name = "bbm2", .expect = "conflict-abort-unhandled"})

CP_SCENARIO(contpte_handler_recursion, "contpte/handler-recursion",
	    "the conflict handler's stack was never folded: it runs",
	    fold_only, tlbi_handler,
	    {.name = "bbm2", .expect = "safe"})

CP_SCENARIO(contpte_handler_recursion_stack,
	    "contpte/handler-recursion-stack",
	    "the kernel's mapping of the handler's stack was folded without "
	    "a break: the handler takes a conflict itself",
	    fold_stack_too, tlbi_handler,
	    {.name = "bbm2", .expect = "recursive-exception"})

/* ---------------------------------------------------------------------
 * Stage 2: a block split without a break, and who handles the conflict
 * ------------------------------------------------------------------- */

/*
 * A VM (vmsa/guest.h) whose guest RAM also has a 2M stage-2 block at
 * CP_IPA_BLOCK; the guest's stage 1 maps CP_GUEST_VA to a page of it. The
 * hypervisor (CPU0, EL2) splits the block into a level-3 table of the same
 * pages (prepared at set-up, as size/split does at stage 1) with one
 * store and no TLBI: at FEAT_BBM level 2 the split itself needs no break
 * (RKFLJB), but the guest's TLB may hold the block next to the pages.
 * The guest (CPU1) runs with its stage 1 on, so both stages are enabled
 * and a conflict from a size change goes to EL2 (RQWTKL, FEAT_BBML1).
 * Who removes the entries decides: the guest's TLBI VMALLE1 removes
 * stage-1 and combined entries of the VMID, not the stage-2 block
 * (IJCCRT: with stage 2 in use only VMALLS12E1 or ALLE1 is guaranteed
 * to), so the guest retries into the same conflict forever.
 */
#define CP_IPA_BLOCK (VMSA_GUEST_IPA_RAM + 0x200000ull)
#define CP_GUEST_VA 0x3000ull

struct cp_vm {
	struct vmsa_guest g;
	vmsa_pa_t block;   /* 2M of host pages, 2M aligned */
	vmsa_pa_t table;   /* the level-3 table of the split */
};

static struct cp_vm *vm_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static vmsa_pa_t block_entry_pa(const struct cp_vm *v)
{
	return v->g.s2_l2 + 8 * ((CP_IPA_BLOCK >> 21) & 511);
}

static void vm_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct cp_vm *v = vm_of(r);
	uint64_t blk;

	vmsa_guest_setup(r, true);
	v->table = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	v->block = vmsa_page_alloc(m, VMSA_SETUP, 512, 512);
	/* The block: vmsa_guest_s2_pte()'s attributes, at level 2. */
	blk = (vmsa_guest_s2_pte(&v->g, v->block) & ~VMSA_D_TYPE);
	vmsa_desc_write_pa(m, VMSA_SETUP, block_entry_pa(v), blk);
	for (unsigned i = 0; i < 512; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP, v->table + 8 * i,
				   vmsa_guest_s2_pte(&v->g,
						     v->block + 0x1000ull * i));
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   v->g.tab[2] + 8 * ((CP_GUEST_VA >> 12) & 511),
			   vmsa_kernel_pte(CP_IPA_BLOCK + CP_GUEST_VA));
	vmsa_phys_write(m, VMSA_SETUP, v->block + CP_GUEST_VA, 8, 0xb3, true);
}

/* The hypervisor's split: table over block, DSB ISH, no TLBI; then the
 * MMU lock is released (the flag). */
static void hyp_split(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct cp_vm *v = vm_of(r);

	vmsa_guest_hyp_load(r, cpu);
	vmsa_desc_write_pa(m, cpu, block_entry_pa(v),
			   vmsa_desc_make_table(v->table, VMSA_GRANULE_4K));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_hyp_done(r, cpu);
}

/* The guest reads its page of the block twice. */
static void guest_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_guest_enter(r, cpu, true);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, CP_GUEST_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xb3,
			    "the guest page reads as another page");
	}
}

/* EL2, handled there: under the MMU lock (the flag), TLBI VMALLS12E1
 * (this CPU: the VMID in VTTBR_EL2); DSB NSH; ISB; back to the guest. */
static void el2_vmalls12(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_VMALLS12E1,
			     .sh = VMSA_TLBI_NSH};

	if (!is_conflict(e)) {
		vmsa_report(m, cpu, VMSA_V_UNHANDLED_ABORT,
			    "the hypervisor: an abort it does not handle");
		return;
	}
	vmsa_guest_wait_hyp(m, cpu, e, arg);
	vmsa_tlbi(m, cpu, op, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_NSH);
	vmsa_isb(m, cpu);
}

/* EL2, forwarded: under the MMU lock, the conflict is injected into the
 * guest (ERET to its EL1 vector: ESR_EL1 and ELR_EL1 written), whose
 * handler does TLBI VMALLE1; DSB NSH; ISB and returns to the faulting
 * instruction (the model's exception return, at EL1). */
static void el2_forward(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_VMALLE1, .sh = VMSA_TLBI_NSH};

	if (!is_conflict(e)) {
		vmsa_report(m, cpu, VMSA_V_UNHANDLED_ABORT,
			    "the hypervisor: an abort it does not handle");
		return;
	}
	vmsa_guest_wait_hyp(m, cpu, e, arg);
	vmsa_msr(m, cpu, VMSA_REG_ESR_EL1, e->esr);
	vmsa_msr(m, cpu, VMSA_REG_FAR_EL1, e->far);
	vmsa_eret(m, cpu, 1);
	vmsa_tlbi(m, cpu, op, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_NSH);
	vmsa_isb(m, cpu);
}

#define CP_S2_SCENARIO(ident, sname, sdoc, h, verdict)                      \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc, .setup = vm_setup, \
		      .cpu = {hyp_split, guest_reader},                     \
		      .handler = {[1] = {[2] = h}},                         \
		      .configs = {{.name = "bbm2", .expect = verdict}})

CP_S2_SCENARIO(contpte_conflict_s2_el1, "contpte/conflict-stage2-at-el1",
	       "a stage-2 block split without a break; the hypervisor "
	       "forwards the conflict to the guest, which does TLBI VMALLE1",
	       el2_forward, "livelock")
CP_S2_SCENARIO(contpte_conflict_s2_el2, "contpte/conflict-stage2-at-el2",
	       "a stage-2 block split without a break; the hypervisor "
	       "handles the conflict with TLBI VMALLS12E1",
	       el2_vmalls12, "safe")
