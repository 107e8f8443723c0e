/*
 * scenarios/pgtable/split.c - eager split of a block under concurrent
 * guest accesses, and the collapse back (issue 9, "Checked on the
 * model").
 *
 * When dirty logging starts, KVM splits the VM's stage-2 blocks into
 * pages ahead of time (eager split), so that write faults need not; when
 * it stops, pages are merged into blocks again. CPU1, the host, splits
 * the 2M block at PS_IPA_BLOCK with vmsa_pgt_split, then collapses it
 * with vmsa_pgt_collapse, each under the MMU lock held for writing, and
 * tells the fault path which size the memslot is mapped with now (a word
 * of the hypervisor's page). CPU0, a vCPU with its own stage 1 on, reads
 * two pages of the block meanwhile.
 *
 * At BBM level 0 both are break-before-make (RWHZWS): the guest may take
 * a stage-2 Translation fault during the break; its fault path waits for
 * the lock and finds the entry mapped again (-EAGAIN: retry). At level 2
 * the size changes without a break (RKFLJB), but while both sizes may be
 * held a read may take a TLB conflict abort (IHYQMB), which the handler
 * resolves with vmsa_pgt_s2_conflict_handler (RBLRKC); with
 * BBML2_NOABORT no abort is raised. The collapse frees the level-3 table
 * after invalidating the whole VMID, so a walk cache may not keep it.
 */
#include "pgt_scen.h"

/* The fault path's mapping size for the block's range. */
#define MODE PS_HYP_WORD
#define MODE_BLOCK 0
#define MODE_PAGES 1

static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	static const uint64_t ok0[] = {0xb0}, ok1[] = {0xb1};

	ps_guest_enter(r, cpu, true);
	if (!ps_guest_read(r, cpu, PS_IPA_BLOCK, ok0, 1,
			   "page 0 of the block reads wrong"))
		return;
	if (!ps_guest_read(r, cpu, PS_IPA_BLOCK + PS_PAGE, ok1, 1,
			   "page 1 of the block reads wrong"))
		return;
	ps_guest_read(r, cpu, PS_IPA_BLOCK, ok0, 1,
		      "page 0 of the block reads wrong");
}

/* Translation faults in the block's range: the fault path takes the
 * lock, which the host holds during a split or a collapse, and maps what
 * the memslot's mode says (the page, or the whole block: KVM maps blocks
 * unless the slot logs dirty pages) unless the entry is valid by then,
 * which here it always is: every fault in the range comes from a break.
 * KVM's map would find the entry there and return -EAGAIN; looking first
 * (vmsa_pgt_get_leaf) spares the 512 cleans to the PoC that the library
 * issues for a block before it compares the entry. */
static void handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	struct ps *d = ps_of(r);
	uint64_t ipa = ps_fault_ipa(e), size, desc;
	int level;

	if (!ps_is_s2(e, VMSA_FAULT_TRANSLATION) || ipa < PS_IPA_BLOCK ||
	    ipa >= PS_IPA_BLOCK + PS_BLOCK) {
		ps_el2_handler(m, cpu, e, arg);
		return;
	}
	ps_fault_begin(r, cpu, ipa);
	ps_read_lock(r, cpu);
	if (!ps_ok(r, cpu, !vmsa_pgt_get_leaf(&d->pgt, VMSA_IA(ipa), &desc,
					      &level),
		   "vmsa_pgt_get_leaf failed"))
		return;
	if (!(desc & VMSA_D_VALID)) {
		size = vmsa_phys_read(m, cpu, ps_hyp(r, MODE), 8, true) ==
				       MODE_PAGES ? PS_PAGE : PS_BLOCK;
		ps_fault_map_locked(r, cpu, ipa, size,
				    d->block + ((ipa - PS_IPA_BLOCK) &
						~(size - 1)));
	}
	ps_read_unlock(r, cpu);
}

static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	int err;

	ps_hyp_load(r, cpu);
	ps_write_lock(r, cpu);
	vmsa_phys_write(m, cpu, ps_hyp(r, MODE), 8, MODE_PAGES, true);
	err = vmsa_pgt_split(&d->pgt, VMSA_IA(PS_IPA_BLOCK), PS_BLOCK, 0);
	ps_write_unlock(r, cpu);
	if (!ps_ok(r, cpu, err == 0, "vmsa_pgt_split failed"))
		return;
	ps_write_lock(r, cpu);
	vmsa_phys_write(m, cpu, ps_hyp(r, MODE), 8, MODE_BLOCK, true);
	err = vmsa_pgt_collapse(&d->pgt, VMSA_IA(PS_IPA_BLOCK), 0);
	ps_write_unlock(r, cpu);
	ps_ok(r, cpu, err == 0, "vmsa_pgt_collapse failed");
}

static void setup(vmsa_run_t *r)
{
	ps_setup(r, PS_MAP_BLOCK, 0, NULL);
}

VMSA_SCENARIO(pgtable_split_collapse,
	.name = "pgtable/split-collapse",
	.doc = "split a 2M stage-2 block into pages and collapse it back "
	       "while a vCPU reads it",
	.setup = setup,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = handler}},
	.configs = {
		{.name = "bbm0", .expect = "safe"},
		{.name = "bbm2", .expect = "safe"},
		{.name = "bbm2-noabort", .expect = "safe"},
	});

/* ---------------------------------------------------------------------
 * The mutants, at BBM level 0 where the split and the collapse break:
 *  - the stage-2 invalidation in the wrong order (the model backend's
 *    SWAP_IPAS2_VMALLE1): VMALLE1IS first lets the vCPU build a new
 *    combined entry from the still-held stage-2 block entry, which
 *    IPAS2E1IS need not remove (D8.17.6.1): the make finds it (bbm);
 *  - no break at all (SKIP_BREAK): the table replaces the live block
 *    directly, a size change level 0 forbids (RWHZWS, RKFLJB: bbm). At
 *    level 2 the library makes no break to skip: safe there.
 * ------------------------------------------------------------------- */

static void setup_mut(vmsa_run_t *r, vmsa_pgt_mut_kind_t kind)
{
	const vmsa_pgt_mutation_t mu = {.kind = kind, .cpu = 1};

	ps_setup(r, PS_MAP_BLOCK, 0, &mu);
}

static void setup_swap(vmsa_run_t *r)
{
	setup_mut(r, VMSA_PGT_MUT_SWAP_IPAS2_VMALLE1);
}

static void setup_no_break(vmsa_run_t *r)
{
	setup_mut(r, VMSA_PGT_MUT_SKIP_BREAK);
}

VMSA_SCENARIO(pgtable_mutant_vmalle1_first,
	.name = "pgtable/mutant-vmalle1-first",
	.doc = "pgtable/split-collapse with TLBI VMALLE1IS before IPAS2E1IS: "
	       "a combined entry is refilled during the break",
	.setup = setup_swap,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = handler}},
	.configs = {{.name = "bbm0", .expect = "bbm"}});

VMSA_SCENARIO(pgtable_mutant_no_break,
	.name = "pgtable/mutant-no-break",
	.doc = "pgtable/split-collapse without the break at BBM level 0",
	.setup = setup_no_break,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = handler}},
	.configs = {
		{.name = "bbm0", .expect = "bbm"},
		{.name = "bbm2-noabort", .expect = "safe"},
	});
