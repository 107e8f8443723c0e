/*
 * scenarios/s2.c - TLB maintenance for a stage-2 remap (D8.17.6.1,
 * ARCH-RULES section 4): a hypervisor on CPU0 moves the guest page at
 * VMSA_GUEST_IPA_PAGE from page[0] to page[1] with break-before-make at
 * stage 2 while the guest, on CPU1 with its own stage 1 on, reads it.
 *
 * A TLB may hold the stage-2 entry on its own (IPA -> PA) and combined
 * with the guest's stage 1 (VA -> PA). TLBI IPAS2E1IS removes the first
 * but need not remove the second (RTVTYQ); TLBI VMALLE1IS removes the
 * second. The order matters: invalidating stage 1 first leaves the
 * stage-2 entry in place, and a guest walk in between can build a new
 * combined entry from it, which the later IPAS2E1IS does not remove.
 * Hence KVM's __kvm_tlb_flush_vmid_ipa(): TLBI IPAS2E1IS; DSB ISH;
 * TLBI VMALLE1IS; DSB ISH.
 */
#include "vmsa/guest.h"

/* The hypervisor's remap: invalid; DSB ISH; the two TLBIs in the given
 * order, each completed by a DSB ISH; the new entry; DSB ISH. */
static void hyp_remap(vmsa_run_t *r, vmsa_cpu_t cpu, bool ipas2_first)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);
	vmsa_pa_t pte = vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE);
	vmsa_tlbi_type_t first = ipas2_first ? VMSA_TLBI_IPAS2E1 :
					       VMSA_TLBI_VMALLE1;
	vmsa_tlbi_type_t second = ipas2_first ? VMSA_TLBI_VMALLE1 :
						VMSA_TLBI_IPAS2E1;

	vmsa_guest_hyp_load(r, cpu);
	vmsa_desc_write_pa(m, cpu, pte, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_tlbi(r, cpu, first, VMSA_GUEST_IPA_PAGE);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_tlbi(r, cpu, second, VMSA_GUEST_IPA_PAGE);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_desc_write_pa(m, cpu, pte, vmsa_guest_s2_pte(g, g->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_hyp_done(r, cpu);
}

static void hyp_ipas2_first(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	hyp_remap(r, cpu, true);
}

static void hyp_vmalle1_first(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	hyp_remap(r, cpu, false);
}

/* The guest reads its page twice; it must see the old or the new one.
 * A stage-2 fault during the break goes to the hypervisor's handler on
 * this CPU (EL2), which waits for the remap and returns. */
static void guest_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_guest_enter(r, cpu, true);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the guest page reads as neither the old nor the "
			    "new one");
	}
}

static void setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
}

#define S2_SCENARIO(ident, sname, sdoc, fn, verdict)                     \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc, .setup = setup, \
		      .cpu = {fn, guest_reader},                         \
		      .handler = {[1] = {[2] = vmsa_guest_wait_hyp}},    \
		      .configs = {{.name = "bbm0", .expect = verdict}})

S2_SCENARIO(s2_ipas2_then_vmalle1, "s2/ipas2-then-vmalle1",
	    "stage-2 remap: TLBI IPAS2E1IS, DSB, then VMALLE1IS (KVM's order)",
	    hyp_ipas2_first, "safe")
S2_SCENARIO(s2_vmalle1_then_ipas2, "s2/vmalle1-then-ipas2",
	    "stage-2 remap: VMALLE1IS before IPAS2E1IS lets a combined "
	    "entry be refilled",
	    hyp_vmalle1_first, "bbm")
