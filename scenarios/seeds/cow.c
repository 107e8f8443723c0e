/*
 * scenarios/seeds/cow.c - Seed 003, the second 2018 KVM fix: clean to the
 * PoC when a stage-2 entry changes because of copy-on-write
 * (docs/seeds.md).
 *
 * A guest page is shared copy-on-write with the host (after fork(), or a
 * KSM merge). When the host writes it, Linux copies the page and points
 * the host's page tables at the copy; KVM's MMU notifier (change_pte,
 * kvm_set_spte_hva in 2018) then remaps the guest's IPA to the copy at
 * stage 2, with break-before-make. The host made the copy through its
 * cacheable linear map: the copy may sit in its data cache, dirty, while
 * memory at the Point of Coherency still holds what the new page held
 * before. KVM's ordinary fault path cleaned a page to the PoC before
 * mapping it; the notifier's remap did not. A guest that runs with its
 * MMU off (early boot, firmware) makes Device-nGnRnE data accesses
 * (RWFZPW, D8.2.12.1; combined with stage 2's Write-Back, the stricter
 * Device type wins), which go to the PoC, so it reads stale memory: a
 * loss of coherency between mismatched attributes (B2.11). The fix
 * cleaned the page to the PoC before the make. With FEAT_S2FWB and HCR_EL2.FWB = 1 the stage-2
 * entry forces Write-Back whatever the guest's stage 1 says (D8.6.6), the
 * guest's accesses are coherent with the host's cache, and no clean is
 * needed.
 *
 * CPU0 is a vCPU whose guest runs with its MMU off and reads word 0 of
 * the page (it must read the page's contents, 0xa0, before or after the
 * copy). CPU1 is the host breaking copy-on-write: vmsa_hyp_cow copies the
 * word to a new page through the cache, then, under the MMU lock held for
 * writing, points the memslot at the copy and remaps the IPA with
 * break-before-make (break, TLBI IPAS2E1IS, DSB, TLBI VMALLE1IS, DSB,
 * make), cleaning the copy to the PoC before the break unless the variant
 * leaves it out. A guest read during the break takes a stage-2 fault,
 * whose handler waits for the lock and finds the entry made (an
 * already-resolved fault).
 */
#include "vmsa/hyp.h"

/* Word 0 of the hypervisor's page: the page the host copies to,
 * allocated at set-up. */
#define NEW_PAGE 0

static void setup_variant(vmsa_run_t *r, unsigned variants)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm;

	c.guest_s1 = false;
	c.variants = variants;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (vm)
		vmsa_phys_write(vm->m, VMSA_SETUP, vmsa_hyp_word(vm, NEW_PAGE),
				8, vmsa_page_alloc(vm->m, VMSA_SETUP, 1, 1),
				true);
}

static void setup_clean(vmsa_run_t *r)
{
	setup_variant(r, 0);
}

static void setup_no_clean(vmsa_run_t *r)
{
	setup_variant(r, VMSA_HYP_V_COW_NO_CLEAN);
}

/* The guest, MMU off: VA = IPA, Device accesses at the PoC. */
static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;

	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	if (vmsa_read(vm->m, cpu, vm->cfg.slot_ipa, 8, &v))
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(0),
			    "the guest read neither the page nor its copy");
}

/* The host breaks copy-on-write of the page. */
static void host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	/* Written at set-up and never again: read without a step. */
	vmsa_pa_t to = *(const uint64_t *)vmsa_pa_cptr(
		vm->m, vmsa_hyp_word(vm, NEW_PAGE));
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	err = vmsa_hyp_cow(vm, cpu, 0, to, 1);
	vmsa_assert(r, cpu, err == 0, "vmsa_hyp_cow failed");
}

VMSA_SCENARIO(seed_cow_no_clean,
	.name = "cow/no-clean",
	.doc = "the host breaks copy-on-write of a guest page (copy through "
	       "the cache, stage-2 remap with break-before-make) without "
	       "cleaning the copy to the PoC; the guest runs with its MMU "
	       "off",
	.setup = setup_no_clean,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
	.configs = {
		{.name = "default", .expect = "coherency"},
		{.name = "s2fwb", .expect = "safe"},
	});

VMSA_SCENARIO(seed_cow_clean_poc,
	.name = "cow/clean-poc",
	.doc = "cow/no-clean with the copy cleaned to the PoC before the "
	       "stage-2 entry is made (the 2018 fix)",
	.setup = setup_clean,
	.cpu = {vcpu, host},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
	.configs = {
		{.name = "default", .expect = "safe"},
		{.name = "s2fwb", .expect = "safe"},
	});
