/*
 * scenarios/bbm.c - break-before-make on a kernel page (RWHZWS, RYNJCP,
 * RPSMWS, RSPVBD): CPU0 remaps VMSA_KERNEL_VA from page[0] to page[1]
 * while CPU1 reads it. The correct sequence and five ways of getting it
 * wrong.
 */
#include "vmsa/guest.h"

enum remap_kind {
	REMAP_OK,            /* invalid; DSB ISH; TLBI VAE1IS; DSB ISH; new */
	REMAP_NO_BREAK,      /* new directly */
	REMAP_NO_TLBI,       /* invalid; DSB ISH; new */
	REMAP_TLBI_EARLY,    /* invalid; TLBI VAE1IS; DSB ISH; new */
	REMAP_TLBI_LOCAL,    /* ... TLBI VAE1 (not broadcast) ... */
	REMAP_ISHST,         /* ... TLBI VAE1IS; DSB ISHST; new */
};

static void remap(vmsa_run_t *r, vmsa_cpu_t cpu, enum remap_kind kind)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	vmsa_pa_t pte = vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA);

	vmsa_kernel_enter(r, cpu);
	if (kind != REMAP_NO_BREAK) {
		vmsa_desc_write_pa(m, cpu, pte, 0);
		if (kind != REMAP_TLBI_EARLY)
			vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		if (kind != REMAP_NO_TLBI) {
			vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAE1,
					    kind == REMAP_TLBI_LOCAL ?
						    VMSA_TLBI_NSH :
						    VMSA_TLBI_IS,
					    VMSA_KERNEL_VA);
			vmsa_dsb(m, cpu, kind == REMAP_ISHST ?
					VMSA_BAR_ISHST : VMSA_BAR_ISH);
		}
	}
	vmsa_desc_write_pa(m, cpu, pte, vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

/* CPU1 reads the page twice; it must see the old or the new page. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the page reads as neither the old nor the new one");
	}
}

#define REMAP_CPU(fn, kind)                                  \
	static void fn(vmsa_run_t *r, vmsa_cpu_t cpu)          \
	{                                                    \
		remap(r, cpu, kind);                         \
	}

REMAP_CPU(cpu_ok, REMAP_OK)
REMAP_CPU(cpu_no_break, REMAP_NO_BREAK)
REMAP_CPU(cpu_no_tlbi, REMAP_NO_TLBI)
REMAP_CPU(cpu_tlbi_early, REMAP_TLBI_EARLY)
REMAP_CPU(cpu_tlbi_local, REMAP_TLBI_LOCAL)
REMAP_CPU(cpu_ishst, REMAP_ISHST)

#define BBM_SCENARIO(ident, sname, sdoc, fn, verdict)                       \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc,                    \
		      .setup = vmsa_kernel_setup, .cpu = {fn, reader},      \
		      .handler = {[1] = {[1] = vmsa_kernel_wait_remapped}}, \
		      .configs = {{.name = "bbm0", .expect = verdict}})

BBM_SCENARIO(bbm_ok, "bbm/ok",
	     "remap a kernel page with the full break-before-make sequence",
	     cpu_ok, "safe")
BBM_SCENARIO(bbm_valid_to_valid, "bbm/valid-to-valid",
	     "remap a kernel page by writing the new entry over the old one",
	     cpu_no_break, "bbm")
BBM_SCENARIO(bbm_missing_tlbi, "bbm/missing-tlbi",
	     "invalid, DSB, new entry: no TLB invalidation",
	     cpu_no_tlbi, "bbm")
BBM_SCENARIO(bbm_missing_dsb_before_tlbi, "bbm/missing-dsb-before-tlbi",
	     "TLBI before the DSB that publishes the invalid entry",
	     cpu_tlbi_early, "bbm")
BBM_SCENARIO(bbm_tlbi_local, "bbm/tlbi-local",
	     "TLBI VAE1 (this CPU only) instead of VAE1IS",
	     cpu_tlbi_local, "bbm")
BBM_SCENARIO(bbm_tlbi_not_completed, "bbm/tlbi-not-completed",
	     "DSB ISHST after the TLBI does not complete it",
	     cpu_ishst, "bbm")
