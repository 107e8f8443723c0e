/*
 * scenarios/ets2.c - spurious translation faults without FEAT_ETS2
 * (D8.2; ARCH-RULES section 6): making an invalid entry valid needs no
 * TLBI (RXCLRD: invalid entries are never cached), but a walk may have
 * been done early, before the entry became valid.
 *
 * CPU0 maps a new kernel page (VMSA_KERNEL_VA_NEW -> page[1], the entry
 * was invalid), completes the write with DSB ISH and then publishes it with a
 * flag, as vmalloc() followed by a pointer handed to another CPU. CPU1
 * runs the kernel; it waits for the flag and reads the page, with no fault
 * handler.
 *
 * Without ETS2 CPU1's walk may have been performed at any time since its
 * last context synchronisation event (its exception return to EL1): when
 * that comes before CPU0's DSB makes the new entry visible to walks
 * (RSPVBD), the walk may still see the entry invalid, a spurious
 * Translation fault, which Linux survives only by checking for it in the
 * fault handler (is_spurious_el1_translation_fault). CPU0's ISB does not
 * help: it synchronises CPU0 only. With ETS2, the flag read (an explicit
 * access earlier in program order) is ordered before a walk that faults,
 * and the flag was written after that DSB: no such fault.
 */
#include "vmsa/guest.h"

static void mapper(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);

	vmsa_kernel_enter(r, cpu);
	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA_NEW),
			   vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

static void user(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	vmsa_wait_eq(r, cpu, k->flag, ~0ull, 1);
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa1,
		    "the new page does not read as its contents");
}

VMSA_SCENARIO(ets2_make_valid,
	.name = "ets2/make-valid",
	.doc = "map a new page, DSB, publish it with a flag; the reader "
	       "has no fault handler",
	.setup = vmsa_kernel_setup,
	.cpu = {mapper, user},
	.configs = {
		{.name = "default", .expect = "unhandled-abort"},
		{.name = "ets2", .expect = "safe"},
	});
