/*
 * tests/model/fixture_s2.h - a machine with stage 2 for the model tests.
 *
 * Each of up to two VMs has:
 *  - stage-2 tables (VTCR_EL2: 4K granule, 40-bit IPA, T0SZ = 24, SL0 = 1 so
 *    the walk starts at level 1 with two concatenated root pages, PS = 40
 *    bits) mapping the IPAs of its guest's tables and data pages through one
 *    level-3 table: IPA FX2_IPA_TABLES + i * 4K -> guest table i,
 *    IPA FX2_IPA_DATA + i * 4K -> data page i (S2AP RW, MemAttr Normal
 *    Write-Back 0xF, Inner Shareable, AF set);
 *  - a guest stage 1 (EL1&0, the fixture.h format: 39-bit VA, start level
 *    1) whose three tables live in guest IPA space, mapping VA
 *    FX2_VA -> IPA FX2_IPA_DATA (data page 0).
 * Data page i of VM v holds 0xa0 + 0x10 * v + i in its first doubleword.
 *
 * A CPU runs as the hypervisor at EL2 (where every CPU starts) or enters a
 * guest with an exception return to EL1. The model has no HVC: a guest
 * leaves to EL2 through a trapped FP/SIMD access (fx2_guest_exit()).
 */
#ifndef VMSA_TEST_MODEL_FIXTURE_S2_H
#define VMSA_TEST_MODEL_FIXTURE_S2_H

#include "fixture.h"

/* VTCR_EL2: T0SZ 24, SL0 1, walks Inner/Outer WB Inner Shareable, TG0 4K,
 * PS 0b010 (40 bits). */
#define FX2_VTCR (24ull | (1ull << 6) | (1ull << 8) | (1ull << 10) | \
		  (3ull << 12) | (2ull << 16))
#define FX2_HCR (VMSA_HCR_VM | (1ull << 31))   /* VM, RW (EL1 is AArch64) */
#define FX2_CPTR_TFP (1ull << 10)               /* CPTR_EL2.TFP (E2H = 0) */
#define FX2_CPACR_FPEN (3ull << 20)             /* CPACR_EL1: no EL1 trap */

#define FX2_IPA_TABLES 0x80000000ull /* guest L1, L2, L3 at +0, +4K, +8K */
#define FX2_IPA_DATA 0x80010000ull   /* data page i at + i * 4K */
#define FX2_VA 0x1000ull             /* the guest's mapped VA */
#define FX2_NPAGES 4

struct fx2_vm {
	uint16_t vmid;
	vmsa_pa_t s2_root;              /* two concatenated level-1 pages */
	vmsa_pa_t s2_l2, s2_l3;
	vmsa_pa_t g_tab[3];             /* guest L1, L2, L3 (their PAs) */
	vmsa_pa_t page[FX2_NPAGES];     /* data pages */
};

struct fx2;
typedef void (*fx2_exit_fn)(struct fx2 *f, int cpu, void *arg);

struct fx2 {
	vmsa_machine_t *m;
	struct fx2_vm vm[2];
	fx2_exit_fn exit_fn[VMSA_MAX_CPUS];
	void *exit_arg[VMSA_MAX_CPUS];
};

static inline uint64_t fx2_s2_page_desc(vmsa_pa_t pa)
{
	return vmsa_desc_make_s2_leaf(pa, 3, VMSA_GRANULE_4K, 0xf,
				      VMSA_S2AP_RW, VMSA_SH_ISH, true);
}

/* PA of the stage-2 level-3 descriptor of an IPA in the fixture's 2M. */
static inline vmsa_pa_t fx2_s2_pte(const struct fx2_vm *vm, uint64_t ipa)
{
	return vm->s2_l3 + 8 * ((ipa >> 12) & 511);
}

/* PA of the guest's level-3 descriptor of va (va < 2M). */
static inline vmsa_pa_t fx2_pte(const struct fx2_vm *vm, uint64_t va)
{
	return vm->g_tab[2] + 8 * ((va >> 12) & 511);
}

/* IPA of data page i. */
static inline uint64_t fx2_data_ipa(unsigned i)
{
	return FX2_IPA_DATA + 0x1000ull * i;
}

/* Build VM number v with VMID vmid (set-up writes). */
static inline void fx2_vm_build(struct fx2 *f, unsigned v, uint16_t vmid)
{
	vmsa_machine_t *m = f->m;
	struct fx2_vm *vm = &f->vm[v];

	vm->vmid = vmid;
	vm->s2_root = vmsa_page_alloc(m, VMSA_SETUP, 2, 2);
	vm->s2_l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vm->s2_l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < 3; i++)
		vm->g_tab[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < FX2_NPAGES; i++)
		vm->page[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	/* Stage 2: root entry 2 (IPA 2G..3G) -> L2, L2[0] -> L3. */
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   vm->s2_root + 8 * (FX2_IPA_TABLES >> 30),
			   vmsa_desc_make_table(vm->s2_l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, vm->s2_l2,
			   vmsa_desc_make_table(vm->s2_l3, VMSA_GRANULE_4K));
	for (unsigned i = 0; i < 3; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   fx2_s2_pte(vm, FX2_IPA_TABLES + 0x1000 * i),
				   fx2_s2_page_desc(vm->g_tab[i]));
	for (unsigned i = 0; i < FX2_NPAGES; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   fx2_s2_pte(vm, fx2_data_ipa(i)),
				   fx2_s2_page_desc(vm->page[i]));

	/* Guest stage 1, in IPA space: L1[0] -> L2, L2[0] -> L3,
	 * L3[1] (VA 0x1000) -> data page 0. */
	vmsa_desc_write_pa(m, VMSA_SETUP, vm->g_tab[0],
			   vmsa_desc_make_table(FX2_IPA_TABLES + 0x1000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, vm->g_tab[1],
			   vmsa_desc_make_table(FX2_IPA_TABLES + 0x2000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, fx2_pte(vm, FX2_VA),
			   fx_page_desc(fx2_data_ipa(0)));

	for (unsigned i = 0; i < FX2_NPAGES; i++)
		vmsa_phys_write(m, VMSA_SETUP, vm->page[i], 8,
				0xa0 + 0x10 * v + i, true);
}

/* A machine with ncpus CPUs at BBM level 0 and nvms VMs (VMIDs 1, 2). */
static inline void fx2_setup(struct fx2 *f, unsigned ncpus, unsigned nvms)
{
	memset(f, 0, sizeof(*f));
	f->m = fx_machine(ncpus, 0, true);
	for (unsigned v = 0; v < nvms; v++)
		fx2_vm_build(f, v, (uint16_t)(1 + v));
}

static inline uint64_t fx2_vttbr(const struct fx2_vm *vm)
{
	return vm->s2_root | (uint64_t)vm->vmid << 48;
}

/* cpu, at EL2: select vm's stage 2 (VTCR_EL2, VTTBR_EL2, HCR_EL2), as a
 * hypervisor does before TLB maintenance for a VM or before entering it.
 * The CPU stays at EL2. */
static inline void fx2_hyp_select(struct fx2 *f, int cpu, unsigned v)
{
	vmsa_msr(f->m, cpu, VMSA_REG_VTCR_EL2, FX2_VTCR);
	vmsa_msr(f->m, cpu, VMSA_REG_VTTBR_EL2, fx2_vttbr(&f->vm[v]));
	vmsa_msr(f->m, cpu, VMSA_REG_HCR_EL2, FX2_HCR);
}

/* Enter the guest's EL1 registers (from EL2). */
static inline void fx2_guest_regs(struct fx2 *f, int cpu)
{
	vmsa_machine_t *m = f->m;

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, FX_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 FX2_IPA_TABLES | (uint64_t)FX_ASID << 48);
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, 1);
	vmsa_msr(m, cpu, VMSA_REG_CPACR_EL1, FX2_CPACR_FPEN);
}

/* cpu, at EL2: run VM v's guest: stage 2 selected, guest stage 1 on, FP
 * trapped to EL2 (for fx2_guest_exit()), then ERET to EL1. */
static inline void fx2_enter_guest(struct fx2 *f, int cpu, unsigned v)
{
	fx2_hyp_select(f, cpu, v);
	fx2_guest_regs(f, cpu);
	vmsa_msr(f->m, cpu, VMSA_REG_CPTR_EL2, FX2_CPTR_TFP);
	vmsa_eret(f->m, cpu, 1);
}

static inline void fx2_exit_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
				    const struct vmsa_exception *e,
				    void *arg)
{
	struct fx2 *f = arg;

	if (e->type != VMSA_EXC_FP_TRAP) {
		vmsa_report(m, cpu, VMSA_V_ASSERT,
			    "fixture: unexpected exception at EL2");
		return;
	}
	if (f->exit_fn[cpu])
		f->exit_fn[cpu](f, cpu, f->exit_arg[cpu]);
	/* Disarm the trap so that the retried FP access completes. */
	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, 0);
}

/* The guest on cpu (at EL1) leaves to EL2: fn runs there as the
 * hypervisor, then the exception return resumes the guest at EL1 (in
 * whatever VM fn selected). Once per fx2_enter_guest(): the trap is
 * disarmed on the way back. Replaces cpu's EL2 handler. Returns true when
 * the guest resumed. */
static inline bool fx2_guest_exit(struct fx2 *f, int cpu, fx2_exit_fn fn,
				  void *arg)
{
	f->exit_fn[cpu] = fn;
	f->exit_arg[cpu] = arg;
	vmsa_set_handler(f->m, (unsigned)cpu, 2, fx2_exit_handler, f);
	return vmsa_fp_access(f->m, cpu, false);
}

/* A TLBI by name with operand xt. */
static inline void fx2_tlbi(struct fx2 *f, int cpu, const char *name,
			    uint64_t xt)
{
	vmsa_tlbi_op_t op;

	if (vmsa_tlbi_parse(name, &op)) {
		vt_fail(__FILE__, __LINE__, "bad TLBI name %s", name);
		return;
	}
	vmsa_tlbi(f->m, cpu, op, xt);
}

/* TLBI IPAS2E1IS (or another IPAS2 form) for an IPA, no level hint. */
static inline void fx2_tlbi_ipa(struct fx2 *f, int cpu, const char *name,
				uint64_t ipa)
{
	fx2_tlbi(f, cpu, name, vmsa_tlbi_ipa(ipa, VMSA_GRANULE_4K, -1));
}

static inline uint64_t fx2_read(struct fx2 *f, int cpu, uint64_t va)
{
	uint64_t v;

	return vmsa_read(f->m, cpu, va, 8, &v) ? v : ~0ull;
}

/*
 * A scripted chooser: records every decision the model asks for (its
 * `what` and number of options) and answers them with picks[] in order,
 * then 0 (memory as it is now). A pick out of range is a test failure
 * (and answered with 0).
 */
#define SCRIPT_MAX 32

struct script {
	unsigned picks[SCRIPT_MAX];
	unsigned n_picks;
	unsigned calls;                 /* decisions asked so far */
	const char *what[SCRIPT_MAX];   /* the first SCRIPT_MAX of them */
	unsigned n[SCRIPT_MAX];
};

static inline unsigned script_choose(void *ctx, unsigned n, const char *what)
{
	struct script *s = ctx;
	unsigned i = s->calls++, pick = i < s->n_picks ? s->picks[i] : 0;

	if (i < SCRIPT_MAX) {
		s->what[i] = what;
		s->n[i] = n;
	}
	if (pick >= n) {
		vt_fail(__FILE__, __LINE__, "script pick %u of %u options (%s)",
			pick, n, what);
		pick = 0;
	}
	return pick;
}

/* Install s (emptied) on m, answering with the given picks. */
static inline void script_start(vmsa_machine_t *m, struct script *s,
				const unsigned *picks, unsigned n_picks)
{
	vmsa_chooser_t c = {script_choose, s};

	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < n_picks && i < SCRIPT_MAX; i++)
		s->picks[i] = picks[i];
	s->n_picks = n_picks;
	vmsa_set_chooser(m, &c);
}

static inline void fx2_done(struct fx2 *f)
{
	vmsa_machine_free(f->m);
	f->m = NULL;
}

#endif
