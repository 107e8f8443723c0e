/*
 * scenarios/cache.c - cache maintenance before a page becomes visible to
 * a guest (D8.2, D7.5; ARCH-RULES section 7).
 *
 * The host (CPU0 at EL2) fills a page through its cacheable linear map, as
 * a VMM loads a guest kernel image, and maps it at stage 2 for the guest.
 * CPU1 is the guest's vCPU, started once that is done; the guest boots
 * with its MMU off (SCTLR_EL1.M = 0, HCR_EL2.DC = 0), so its data accesses
 * are Device-nGnRnE and go to the Point of Coherency, past the cache. What
 * the host wrote may still be only in the cache: unless the host cleaned
 * it to the PoC (DC CVAC) before mapping it, the guest reads stale memory,
 * a loss of coherency. Hence KVM's clean_dcache_guest_page() before a
 * stage-2 mapping is installed, Linux commit 694556d54f35 for
 * copy-on-write pages too. With FEAT_S2FWB the hypervisor forces stage 2
 * to Write-Back (HCR_EL2.FWB, MemAttr 0b0110) and needs no clean: the
 * guest's accesses are cacheable even with its MMU off.
 */
#include "vmsa/guest.h"

#define IMAGE_WORD 0xb0ull      /* the first word of the "image" */

static void host(vmsa_run_t *r, vmsa_cpu_t cpu, bool clean)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);

	/* Load the image through the cacheable linear map. */
	vmsa_phys_write(m, cpu, g->page[0], 8, IMAGE_WORD, true);
	if (clean) {
		/* EL2 runs with its MMU off here: VA = PA. */
		vmsa_dc(m, cpu, VMSA_DC_CVAC, g->page[0]);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	/* Map the page at stage 2 (it was invalid: no TLBI needed). */
	vmsa_desc_write_pa(m, cpu,
			   vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE),
			   vmsa_guest_s2_pte(g, g->page[0]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_hyp_done(r, cpu);
}

static void host_no_clean(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host(r, cpu, false);
}

static void host_clean(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host(r, cpu, true);
}

/* The vCPU: started (ERET to EL1) after the host is done; the guest,
 * MMU off, reads the first word of its image (VA = IPA). */
static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_wait_eq(r, cpu, vmsa_guest_of(r)->flag, ~0ull, 1);
	vmsa_guest_enter(r, cpu, false);
	if (!vmsa_read(m, cpu, VMSA_GUEST_IPA_PAGE, 8, &v))
		return;
	vmsa_assert(r, cpu, v == IMAGE_WORD,
		    "the guest does not read the image the host loaded");
}

static void setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, false);
}

VMSA_SCENARIO(cache_mmu_off_read,
	.name = "cache/mmu-off-read",
	.doc = "the host maps a page it wrote through the cache for a guest "
	       "with its MMU off, without cleaning it to the PoC",
	.setup = setup,
	.cpu = {host_no_clean, vcpu},
	.configs = {
		{.name = "default", .expect = "coherency"},
		/* Stage 2 forces Write-Back: the guest's accesses are
		 * cacheable whatever its MMU says. */
		{.name = "s2fwb", .expect = "safe"},
	});

VMSA_SCENARIO(cache_mmu_off_read_clean,
	.name = "cache/mmu-off-read-clean",
	.doc = "the host cleans the page to the PoC (DC CVAC) before "
	       "mapping it for a guest with its MMU off",
	.setup = setup,
	.cpu = {host_clean, vcpu},
	.configs = {{.name = "default", .expect = "safe"}});
