/*
 * examples/remap.c - a user's own scenario, in its own program.
 *
 * A kernel moves one page of its mapping to a new physical page while
 * another CPU reads it. Two versions: the full break-before-make sequence
 * and one that forgets the TLB invalidation. Build it against an
 * installed libvmsa (see the Makefile) and run
 *
 *	./remap check                    explore both, compare with expectations
 *	./remap check --json             the same as JSON Lines
 *	./remap replay remap/no-tlbi@bbm0 --decisions STRING
 *
 * main() is vmsa_main(): the program has the vmsa command line, over the
 * scenarios linked into it (only this file's: the bundled scenarios are
 * not part of the library).
 *
 * Only the public headers are used. Everything the CPUs share lives in
 * model memory; vmsa_run_data() carries the addresses set-up chose.
 */
#include <vmsa/cli.h>
#include <vmsa/scenario.h>

/* Translation registers (vmsa/sysreg.h): 4K granule, 39-bit VA (start
 * level 1), TTBR1 walks off, 40-bit IPA; MAIR attribute 0 is Normal
 * Write-Back. */
#define TCR (VMSA_TCR_T0SZ(25) | VMSA_TCR_TG0_4K | VMSA_TCR_EPD1 | \
	     VMSA_TCR_IPS(VMSA_PS_40))
#define MAIR VMSA_MAIR(0, VMSA_MAIR_NORMAL_WB)
#define ASID 1u
#define VA 0x1000ull			/* the page that moves */

struct remap {
	vmsa_pa_t l1, l2, l3;		/* the kernel's tables */
	vmsa_pa_t old_page, new_page;	/* 0x11 and 0x22 at offset 0 */
	vmsa_pa_t done;			/* CPU0 sets it to 1 when done */
};

static struct remap *remap_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static uint64_t pte(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

static vmsa_pa_t pte_pa(const struct remap *s)
{
	return s->l3 + 8 * ((VA >> 12) & 511);
}

/* Set-up runs before every execution, before the CPUs start: its
 * accesses (cpu VMSA_SETUP) are not steps and are never violations. */
static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct remap *s = remap_of(r);

	s->l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->old_page = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->new_page = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->done = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(m, VMSA_SETUP, s->l1,
			   vmsa_desc_make_table(s->l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, s->l2,
			   vmsa_desc_make_table(s->l3, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, pte_pa(s), pte(s->old_page));
	vmsa_phys_write(m, VMSA_SETUP, s->old_page, 8, 0x11, true);
	vmsa_phys_write(m, VMSA_SETUP, s->new_page, 8, 0x22, true);
}

/* Every CPU starts at EL2 with its MMUs off: turn the EL1&0 MMU on and
 * drop to EL1. From the exception return on, the kernel's translations
 * may be in this CPU's TLB. */
static void enter_kernel(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1, VMSA_TTBR(remap_of(r)->l1, ASID));
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	vmsa_eret(m, cpu, 1);
}

/* CPU0 moves VA to new_page: invalid entry; DSB ISH; TLBI VAE1IS;
 * DSB ISH; new entry; DSB ISH; ISB (RDDMVT). With tlbi false, the
 * invalidation is forgotten. */
static void mover(vmsa_run_t *r, vmsa_cpu_t cpu, bool tlbi)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct remap *s = remap_of(r);
	vmsa_tlbi_op_t vae1is = {.type = VMSA_TLBI_VAE1, .sh = VMSA_TLBI_IS};

	enter_kernel(r, cpu);
	vmsa_desc_write_pa(m, cpu, pte_pa(s), 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	if (tlbi) {
		vmsa_tlbi(m, cpu, vae1is,
			  vmsa_tlbi_va(VA, ASID, VMSA_GRANULE_4K, 3));
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	vmsa_desc_write_pa(m, cpu, pte_pa(s), pte(s->new_page));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_phys_write(m, cpu, s->done, 8, 1, true);
}

static void mover_ok(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	mover(r, cpu, true);
}

static void mover_no_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	mover(r, cpu, false);
}

/* CPU1 reads VA twice: the old page, then the old or the new one. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	enter_kernel(r, cpu);
	for (int i = 0; i < 2; i++) {
		/* false: the execution stopped (a violation elsewhere). */
		if (!vmsa_read(m, cpu, VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0x11 || v == 0x22,
			    "VA reads as neither page");
	}
}

/*
 * A translation fault on CPU1 while the entry is invalid comes here (EL1).
 * Like a kernel's fault path that waits for the lock the remapping CPU
 * holds, wait until CPU0 is done; on return the read is retried. The wait
 * blocks CPU1 (it is one step per change of the word, not a spin).
 */
static void wait_done(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, remap_of(r)->done, ~0ull, 1);
}

/* After every execution that ended without a violation, on the host
 * (no steps): the entry holds the new page. */
static void check(vmsa_run_t *r)
{
	struct remap *s = remap_of(r);
	const uint64_t *p = vmsa_pa_ptr(vmsa_run_machine(r), pte_pa(s));

	vmsa_assert(r, -1, *p == pte(s->new_page),
		    "the entry does not map the new page");
}

VMSA_SCENARIO(remap_ok,
	.name = "remap/ok",
	.doc = "move a kernel page with break-before-make",
	.setup = setup,
	.cpu = {mover_ok, reader},
	.check = check,
	.handler = {[1] = {[1] = wait_done}},
	.configs = {
		{.name = "bbm0", .expect = "safe"},
		{.name = "bbm2+ets2", .expect = "safe"},
	});

VMSA_SCENARIO(remap_no_tlbi,
	.name = "remap/no-tlbi",
	.doc = "move a kernel page without invalidating the old entry",
	.setup = setup,
	.cpu = {mover_no_tlbi, reader},
	.check = check,
	.handler = {[1] = {[1] = wait_done}},
	.configs = {
		/* The new entry is written while a TLB may still hold the
		 * old one: a break-before-make violation at every level. */
		{.name = "bbm0", .expect = "bbm"},
		{.name = "bbm2", .expect = "bbm"},
	});

int main(int argc, char **argv)
{
	return vmsa_main(argc, argv);
}
