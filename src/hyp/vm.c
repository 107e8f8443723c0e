/*
 * src/hyp/vm.c - a VM's set-up: the model backend, the hypervisor's page,
 * the stage-2 table, the guest's stage 1 and the memslot (vmsa/hyp.h).
 * Set-up makes no steps: it runs before every execution.
 */
#include <string.h>

#include "hyp_int.h"

vmsa_hyp_vm_cfg_t vmsa_hyp_vm_cfg_default(void)
{
	return (vmsa_hyp_vm_cfg_t){
		.vmid = VMSA_GUEST_VMID,
		.ipa_bits = 30,
		.slot_ipa = 0x200000,
		.slot_pages = 1,
		.slot_alloc = 1,
		.slot_map = 1,
		.guest_s1 = true,
		.s1_ipa = 0,
	};
}

vmsa_hyp_vm_t *vmsa_hyp_vm_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

vmsa_pa_t vmsa_hyp_word(const vmsa_hyp_vm_t *vm, unsigned i)
{
	if (!vm || i >= VMSA_HYP_USER_WORDS)
		return VMSA_BAD_PA;
	return hyp_pa(vm, HYP_USER + 8 * i);
}

int vmsa_hyp_slot_index(const vmsa_hyp_vm_t *vm, uint64_t ipa)
{
	if (!vm || ipa < vm->cfg.slot_ipa ||
	    ipa - vm->cfg.slot_ipa >= hyp_slot_size(vm))
		return -1;
	return (int)((ipa - vm->cfg.slot_ipa) / VMSA_HYP_PAGE);
}

vmsa_pa_t vmsa_hyp_slot_peek(const vmsa_hyp_vm_t *vm, unsigned i)
{
	if (!vm || i >= hyp_slot_size(vm) / VMSA_HYP_PAGE)
		return 0;
	if (vm->cfg.slot_block)
		return vm->block + i * VMSA_HYP_PAGE;
	return *(const uint64_t *)vmsa_pa_cptr(vm->m,
					       hyp_pa(vm, HYP_SLOT + 8 * i));
}

/* Why cfg cannot make a VM, or NULL. */
static const char *cfg_error(const vmsa_hyp_vm_cfg_t *c)
{
	uint64_t ipa_end = 1ull << (c->ipa_bits < 64 ? c->ipa_bits : 0);
	uint64_t size = c->slot_block ? VMSA_HYP_BLOCK
				      : c->slot_pages * VMSA_HYP_PAGE;

	if (c->vmid == 0)
		return "vmsa_hyp_vm_setup: VMID 0";
	if (c->ipa_bits < 30 || c->ipa_bits > 40)
		return "vmsa_hyp_vm_setup: ipa_bits out of 30 .. 40";
	if (!c->slot_block && (c->slot_pages > VMSA_HYP_SLOT_MAX ||
			       c->slot_alloc > c->slot_pages ||
			       c->slot_map > c->slot_alloc))
		return "vmsa_hyp_vm_setup: slot_pages, slot_alloc or "
		       "slot_map out of range";
	if (c->slot_ipa % (c->slot_block ? VMSA_HYP_BLOCK : VMSA_HYP_PAGE) ||
	    c->slot_ipa >= ipa_end || size > ipa_end - c->slot_ipa)
		return "vmsa_hyp_vm_setup: the memslot is misaligned or "
		       "beyond the IPA space";
	if (c->guest_s1 &&
	    (c->s1_ipa % VMSA_HYP_PAGE || c->s1_ipa >= ipa_end ||
	     (c->s1_ipa >= c->slot_ipa && c->s1_ipa - c->slot_ipa < size)))
		return "vmsa_hyp_vm_setup: the stage-1 table is misaligned, "
		       "beyond the IPA space or in the memslot";
	return NULL;
}

/* A set-up step that must work: an assert otherwise. */
static bool setup_ok(vmsa_hyp_vm_t *vm, bool ok, const char *what)
{
	if (!ok)
		vmsa_assert(vm->run, vmsa_run_cpu(vm->run), false, what);
	return ok;
}

static bool setup_map(vmsa_hyp_vm_t *vm, uint64_t ipa, uint64_t size,
		      vmsa_pa_t pa)
{
	return setup_ok(vm, !vmsa_pgt_map(&vm->pgt, VMSA_IA(ipa), size,
					  VMSA_OA(pa), VMSA_PGT_PROT_RW, 0),
			"vmsa_hyp_vm_setup: vmsa_pgt_map failed");
}

static vmsa_pa_t setup_alloc(vmsa_hyp_vm_t *vm, unsigned n)
{
	vmsa_pa_t pa = vmsa_page_alloc(vm->m, VMSA_SETUP, n, n);

	setup_ok(vm, pa != VMSA_BAD_PA, "vmsa_hyp_vm_setup: out of memory");
	return pa;
}

/* VTCR_EL2 for the table init chose: T0SZ from the IPA size, SL0 from
 * the start level (4K: SL0 = 2 - level, D24.2.205), walks Inner/Outer
 * Write-Back Inner Shareable, 40-bit PA. */
static uint64_t make_vtcr(const vmsa_hyp_vm_t *vm)
{
	return VMSA_VTCR_T0SZ(64 - vm->cfg.ipa_bits) |
	       VMSA_VTCR_SL0((unsigned)(2 - vm->pgt.start_level)) |
	       VMSA_VTCR_IRGN0_WB | VMSA_VTCR_ORGN0_WB | VMSA_VTCR_SH0_ISH |
	       VMSA_VTCR_TG0_4K | VMSA_VTCR_PS(VMSA_PS_40);
}

/* The backend, the hypervisor's page and the stage-2 table. */
static bool setup_s2(vmsa_hyp_vm_t *vm, const vmsa_pgt_mutation_t *mu)
{
	vmsa_pgt_model_cfg_t mc = {.granule = VMSA_GRANULE_4K};
	vmsa_pgt_cfg_t pc = {
		.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
		.ia_bits = vm->cfg.ipa_bits,
		/* Level 2 (one root page) up to 30 bits, else level 1 with
		 * up to 2 concatenated roots (D8.2.7): the same start levels
		 * as KVM's for these sizes, never level 0. */
		.start_level = vm->cfg.ipa_bits <= 30 ? 2 : 1,
		.vmid = vm->cfg.vmid,
	};

	if (!setup_ok(vm, !vmsa_pgt_model_init(&vm->bk, vm->m, vm->run, &mc),
		      "vmsa_hyp_vm_setup: vmsa_pgt_model_init failed") ||
	    !setup_ok(vm, !mu || !vmsa_pgt_model_mutate(&vm->bk, mu),
		      "vmsa_hyp_vm_setup: vmsa_pgt_model_mutate failed"))
		return false;
	vm->hyp = setup_alloc(vm, 1);
	if (vm->hyp == VMSA_BAD_PA)
		return false;
	hyp_ops_init(vm);
	if (!setup_ok(vm, !vmsa_pgt_init(&vm->pgt, &pc, &vm->ops),
		      "vmsa_hyp_vm_setup: vmsa_pgt_init failed"))
		return false;
	vm->vtcr = make_vtcr(vm);
	return true;
}

/* The guest's stage 1: entry 0 of its level-1 table maps VA [0, 1G) to
 * IPA [0, 1G) with a block, attributes as the kernel's (vmsa/guest.h). */
static bool setup_guest_s1(vmsa_hyp_vm_t *vm)
{
	vm->s1 = setup_alloc(vm, 1);
	if (vm->s1 == VMSA_BAD_PA)
		return false;
	vmsa_desc_write_pa(vm->m, VMSA_SETUP, vm->s1,
			   vmsa_desc_make_s1_leaf(0, 1, VMSA_GRANULE_4K, 0,
						  VMSA_AP_RW_EL1, VMSA_SH_ISH,
						  true));
	return setup_map(vm, vm->cfg.s1_ipa, VMSA_HYP_PAGE, vm->s1);
}

/* A memslot page's first word, in memory with the cache in sync: set-up's
 * mappings get no cache maintenance, so contents written through the
 * cache would be stale for a guest with its MMU off from the start, and
 * a non-cacheable write leaves a possibly stale cached copy (the model's
 * cache, src/model/cache.h) that a guest with cacheable accesses would
 * read. A store straight into model memory is what a host that wrote and
 * cleaned the page before mapping it would leave: vmsa_pa_store(), not a
 * store through vmsa_pa_ptr(), which would expose the whole allocation
 * (a 2 MiB block) to be compared at every snapshot restore. */
static void put_data(vmsa_hyp_vm_t *vm, vmsa_pa_t pa, uint64_t v)
{
	vmsa_pa_store(vm->m, pa, 8, v);
}

/* The memslot's pages, their contents and mappings. */
static bool setup_slot(vmsa_hyp_vm_t *vm)
{
	const vmsa_hyp_vm_cfg_t *c = &vm->cfg;

	if (c->slot_block) {
		vm->block = setup_alloc(vm, VMSA_HYP_BLOCK / VMSA_HYP_PAGE);
		if (vm->block == VMSA_BAD_PA)
			return false;
		for (unsigned i = 0; i < 2; i++)
			put_data(vm, vm->block + i * VMSA_HYP_PAGE,
				 VMSA_HYP_DATA(i));
		return !c->slot_map ||
		       setup_map(vm, c->slot_ipa, VMSA_HYP_BLOCK, vm->block);
	}
	for (unsigned i = 0; i < c->slot_alloc; i++) {
		vmsa_pa_t pa = setup_alloc(vm, 1);

		if (pa == VMSA_BAD_PA)
			return false;
		put_data(vm, pa, VMSA_HYP_DATA(i));
		vmsa_phys_write(vm->m, VMSA_SETUP,
				hyp_pa(vm, HYP_SLOT + 8 * i), 8, pa, true);
		if (i < c->slot_map &&
		    !setup_map(vm, c->slot_ipa + i * VMSA_HYP_PAGE,
			       VMSA_HYP_PAGE, pa))
			return false;
	}
	return true;
}

vmsa_hyp_vm_t *vmsa_hyp_vm_setup(vmsa_run_t *r, const vmsa_hyp_vm_cfg_t *cfg)
{
	vmsa_hyp_vm_t *vm = vmsa_run_data(r);
	const char *why;

	if (!r || !vm)
		return NULL;
	memset(vm, 0, sizeof(*vm));
	vm->run = r;
	vm->m = vmsa_run_machine(r);
	if (vmsa_run_cpu(r) != VMSA_SETUP || !cfg) {
		vmsa_assert(r, vmsa_run_cpu(r), false,
			    "vmsa_hyp_vm_setup: not in set-up, or cfg NULL");
		return NULL;
	}
	why = cfg_error(cfg);
	if (why) {
		vmsa_assert(r, VMSA_SETUP, false, why);
		return NULL;
	}
	vm->cfg = *cfg;
	vm->cfg.mutation = NULL;
	vm->fwb = vmsa_run_features(r)->s2fwb;
	if (!setup_s2(vm, cfg->mutation) ||
	    (cfg->guest_s1 && !setup_guest_s1(vm)) || !setup_slot(vm))
		return NULL;
	vmsa_hyp_set_exit(vm, VMSA_EC_DABT_LOW, vmsa_hyp_s2_abort, NULL, NULL);
	vmsa_hyp_set_exit(vm, VMSA_EC_IABT_LOW, vmsa_hyp_s2_abort, NULL, NULL);
	return vm;
}

/* A VM must leave room in the run data for a scenario's own fields. */
_Static_assert(sizeof(vmsa_hyp_vm_t) <= VMSA_RUN_DATA_SIZE / 2,
	       "vmsa_hyp_vm_t takes more than half the run data");
