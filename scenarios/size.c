/*
 * scenarios/size.c - changing the block size of a live mapping without a
 * break (RWHZWS third item; FEAT_BBM levels, RKFLJB, RPVTFW; TLB conflict
 * aborts, RZQNWZ, IHYQMB): CPU0 splits the 2M block that maps VA 0 into
 * a level-3 table of 4K pages with the same output addresses and
 * attributes, as Linux does to the linear map on BBML2_NOABORT CPUs
 * (split before changing one page's permissions), while CPU1 reads the
 * range.
 *
 * At level 0 a size change needs break-before-make: the write is a
 * violation. At level 2 it is allowed, but while a TLB may still hold the
 * block next to the new pages an access may hit both: an implementation
 * may then raise a TLB conflict abort (IHYQMB), which CPU1, with no abort
 * handler (as Linux today: do_bad), cannot survive. On an implementation
 * that never raises one (BBML2_NOABORT) the split is safe.
 */
#include "vmsa/guest.h"

/* What set-up leaves for the CPUs (struct vmsa_kernel first, so that the
 * vmsa/guest.h kernel helpers work). */
struct split {
	struct vmsa_kernel k;
	vmsa_pa_t block;        /* 2M of data pages, 2M aligned */
	vmsa_pa_t table;        /* the level-3 table prepared for the split */
};

static struct split *split_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

/*
 * Set-up: the kernel's level-1 and level-2 tables with a 2M block at VA 0;
 * the level-3 table that will replace it, already filled with the 512
 * pages of the block (a split prepares it before the switch, while it is
 * not yet reachable: plain writes nobody can observe).
 */
static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct split *s = split_of(r);

	s->k.l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->k.l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->k.flag = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->table = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	s->block = vmsa_page_alloc(m, VMSA_SETUP, 512, 512);
	vmsa_desc_write_pa(m, VMSA_SETUP, s->k.l1,
			   vmsa_desc_make_table(s->k.l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, s->k.l2, vmsa_kernel_block(s->block));
	for (unsigned i = 0; i < 512; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP, s->table + 8 * i,
				   vmsa_kernel_pte(s->block + 0x1000ull * i));
	vmsa_phys_write(m, VMSA_SETUP, s->block + VMSA_KERNEL_VA, 8, 0xa0,
			true);
	vmsa_phys_write(m, VMSA_SETUP, s->block + VMSA_KERNEL_VA_NEW, 8, 0xa2,
			true);
}

/* The split, no break: table over block; DSB ISH; then the block is
 * invalidated from every TLB (TLBI RVAAE1IS for the 2M; DSB ISH; ISB). */
static void splitter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct split *s = split_of(r);

	vmsa_kernel_enter(r, cpu);
	vmsa_desc_write_pa(m, cpu, s->k.l2,
			   vmsa_desc_make_table(s->table, VMSA_GRANULE_4K));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_tlbi_2m(r, cpu);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

/* CPU1 reads two pages of the range; they never change. No handler: an
 * abort here is fatal. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa0, "VMSA_KERNEL_VA reads as another page");
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa2,
		    "VMSA_KERNEL_VA_NEW reads as another page");
}

VMSA_SCENARIO(size_split,
	.name = "size/split",
	.doc = "split a live 2M block into 4K pages with no break",
	.setup = setup,
	.cpu = {splitter, reader},
	.configs = {
		{.name = "bbm0", .expect = "bbm"},
		{.name = "bbm1", .expect = "bbm"},
		{.name = "bbm2", .expect = "conflict-abort-unhandled"},
		{.name = "bbm2-noabort", .expect = "safe"},
	});
