/*
 * src/backend/aarch64.c - the page-table library's ops on a real AArch64
 * CPU, for a hypervisor at EL2 or a kernel at EL1: inline assembly for
 * descriptor accesses, barriers, TLB and cache maintenance; the caller's
 * callbacks for memory. Freestanding: no libc call (the AArch64 build's
 * test checks that the object has no undefined symbol at all), so
 * structures are filled field by field (a structure copy may become a
 * memcpy call).
 *
 * On other hosts the file compiles to nothing.
 */
#if defined(__aarch64__)

#include <errno.h>

#include "vmsa/backend.h"

/* ------------------------------------------------------------------ */
/* Descriptors                                                         */
/* ------------------------------------------------------------------ */

/* An aligned 64-bit LDR/STR is single-copy atomic (B2.2.1), which
 * hardware walkers and the other CPUs' software walkers rely on. */
static uint64_t aa_read(void *ctx, uint64_t *ptep)
{
	uint64_t v;

	(void)ctx;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(ptep) : "memory");
	return v;
}

/* With release: STLR, so that every earlier access (the DSB before a
 * make already completed the maintenance) is observed before the entry
 * by other CPUs' software walkers. */
static void aa_write(void *ctx, uint64_t *ptep, uint64_t v, bool release)
{
	(void)ctx;
	if (release)
		__asm__ volatile("stlr %1, [%0]" : : "r"(ptep), "r"(v)
				 : "memory");
	else
		__asm__ volatile("str %1, [%0]" : : "r"(ptep), "r"(v)
				 : "memory");
}

/*
 * Compare-and-swap, acquire and release: LSE's CASAL when the compiler
 * targets FEAT_LSE (+lse), else an LDAXR/STLXR loop in one assembly
 * block (nothing the compiler adds may sit between the exclusive load
 * and store and clear the monitor).
 */
static uint64_t aa_cas(void *ctx, uint64_t *ptep, uint64_t old, uint64_t new_)
{
	uint64_t cur;

	(void)ctx;
#if defined(__ARM_FEATURE_ATOMICS)
	cur = old;
	__asm__ volatile("casal %0, %2, [%1]"
			 : "+r"(cur)
			 : "r"(ptep), "r"(new_)
			 : "memory");
#else
	uint32_t fail;

	__asm__ volatile("1:	ldaxr	%0, [%2]\n"
			 "	cmp	%0, %3\n"
			 "	b.ne	2f\n"
			 "	stlxr	%w1, %4, [%2]\n"
			 "	cbnz	%w1, 1b\n"
			 "2:\n"
			 : "=&r"(cur), "=&r"(fail)
			 : "r"(ptep), "r"(old), "r"(new_)
			 : "cc", "memory");
#endif
	return cur;
}

/* ------------------------------------------------------------------ */
/* Barriers                                                            */
/* ------------------------------------------------------------------ */

static void aa_dsb(void *ctx, vmsa_pgt_dsb_t kind)
{
	(void)ctx;
	switch (kind) {
	case VMSA_PGT_DSB_ISHST:
		__asm__ volatile("dsb ishst" : : : "memory");
		break;
	case VMSA_PGT_DSB_NSHST:
		__asm__ volatile("dsb nshst" : : : "memory");
		break;
	case VMSA_PGT_DSB_NSH:
		__asm__ volatile("dsb nsh" : : : "memory");
		break;
	case VMSA_PGT_DSB_ISH:
	default:
		/* An unknown kind gets the strongest the library uses. */
		__asm__ volatile("dsb ish" : : : "memory");
		break;
	}
}

static void aa_isb(void *ctx)
{
	(void)ctx;
	__asm__ volatile("isb" : : : "memory");
}

/* ------------------------------------------------------------------ */
/* TLB maintenance                                                     */
/* ------------------------------------------------------------------ */

/*
 * The encodings, as SYS #op1, C8, Cm, #op2, Xt (C9 for the nXS forms,
 * FEAT_XS), so that every form assembles whatever -march the caller
 * builds with (the range forms need FEAT_TLBIRANGE only at run time; the
 * library uses them only when ops->features.tlbirange says so). Per
 * operation type: op1, then CRm and op2 of the local, IS and OS forms,
 * and whether it takes Xt (the others encode XZR). Checked against the
 * assembler's names by tests/cli/test_aarch64.sh (objdump of the
 * object).
 */
#define TLBI_ENCODINGS(X)                                   \
	X(VMALLE1,    0, 7, 0, 3, 0, 1, 0, NOARG)           \
	X(VAE1,       0, 7, 1, 3, 1, 1, 1, ARG)             \
	X(ASIDE1,     0, 7, 2, 3, 2, 1, 2, ARG)             \
	X(VAAE1,      0, 7, 3, 3, 3, 1, 3, ARG)             \
	X(VALE1,      0, 7, 5, 3, 5, 1, 5, ARG)             \
	X(VAALE1,     0, 7, 7, 3, 7, 1, 7, ARG)             \
	X(RVAE1,      0, 6, 1, 2, 1, 5, 1, ARG)             \
	X(RVAAE1,     0, 6, 3, 2, 3, 5, 3, ARG)             \
	X(RVALE1,     0, 6, 5, 2, 5, 5, 5, ARG)             \
	X(RVAALE1,    0, 6, 7, 2, 7, 5, 7, ARG)             \
	X(IPAS2E1,    4, 4, 1, 0, 1, 4, 0, ARG)             \
	X(IPAS2LE1,   4, 4, 5, 0, 5, 4, 4, ARG)             \
	X(RIPAS2E1,   4, 4, 2, 0, 2, 4, 3, ARG)             \
	X(RIPAS2LE1,  4, 4, 6, 0, 6, 4, 7, ARG)             \
	X(VMALLS12E1, 4, 7, 6, 3, 6, 1, 6, NOARG)           \
	X(ALLE1,      4, 7, 4, 3, 4, 1, 4, NOARG)           \
	X(ALLE2,      4, 7, 0, 3, 0, 1, 0, NOARG)           \
	X(VAE2,       4, 7, 1, 3, 1, 1, 1, ARG)             \
	X(VALE2,      4, 7, 5, 3, 5, 1, 5, ARG)             \
	X(RVAE2,      4, 6, 1, 2, 1, 5, 1, ARG)             \
	X(RVALE2,     4, 6, 5, 2, 5, 5, 5, ARG)

#define SYS_ARG(op1, crn, crm, op2)                                        \
	__asm__ volatile("sys #" #op1 ", c" #crn ", c" #crm ", #" #op2 ", %0" \
			 : : "r"(xt) : "memory")
#define SYS_NOARG(op1, crn, crm, op2)                                      \
	__asm__ volatile("sys #" #op1 ", c" #crn ", c" #crm ", #" #op2 ", xzr" \
			 : : : "memory")

#define TLBI_KEY(type, sh, nxs) (((unsigned)(type) * 3u + (unsigned)(sh)) * 2u + \
				 (unsigned)(nxs))

#define TLBI_CASES(T, op1, cn, on, ci, oi, co, oo, arg)                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_NSH, 0):                    \
		SYS_##arg(op1, 8, cn, on);                                 \
		return;                                                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_IS, 0):                     \
		SYS_##arg(op1, 8, ci, oi);                                 \
		return;                                                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_OS, 0):                     \
		SYS_##arg(op1, 8, co, oo);                                 \
		return;                                                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_NSH, 1):                    \
		SYS_##arg(op1, 9, cn, on);                                 \
		return;                                                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_IS, 1):                     \
		SYS_##arg(op1, 9, ci, oi);                                 \
		return;                                                    \
	case TLBI_KEY(VMSA_TLBI_##T, VMSA_TLBI_OS, 1):                     \
		SYS_##arg(op1, 9, co, oo);                                 \
		return;

/* Execute op with operand xt. An operation the enum does not have is
 * not issued (the library never asks for one). */
static void tlbi_insn(vmsa_tlbi_op_t op, uint64_t xt)
{
	switch (TLBI_KEY(op.type, op.sh, op.nxs)) {
		TLBI_ENCODINGS(TLBI_CASES)
	default:
		(void)xt;
		return;
	}
}

#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define VTCR_VS (1ull << 19)

static unsigned current_el(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
	return (unsigned)(v >> 2) & 3u;
}

/* Does the operation act on the VMID in VTTBR_EL2: the EL1&0 ones but
 * ALLE1 (every VMID)? */
static bool uses_vmid(vmsa_tlbi_type_t t)
{
	return t <= VMSA_TLBI_VMALLS12E1;
}

/*
 * At EL2, a stage-2 or EL1&0 operation for another VMID than VTTBR_EL2's
 * (or with E2H = TGE = 1, where EL1 operations would act on EL2&0)
 * switches to the guest's context around the TLBI, as KVM's
 * __tlb_switch_to_guest / __tlb_switch_to_host: interrupts masked, the
 * VMID written into VTTBR_EL2 (its table base kept: VTTBR_EL2 does not
 * translate EL2's own accesses), TGE cleared, ISB; then everything back,
 * ISB. The TLBI takes the VMID when it executes (RNWYRD); the DSB that
 * completes it may come later.
 */
static void aa_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	uint64_t hcr, vttbr, vtcr, mask, daif;
	bool tge;

	(void)ctx;
	if (!t)
		return;
	if (!uses_vmid(t->op.type) || current_el() != 2) {
		tlbi_insn(t->op, t->xt);
		return;
	}
	__asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
	__asm__ volatile("mrs %0, vttbr_el2" : "=r"(vttbr));
	__asm__ volatile("mrs %0, vtcr_el2" : "=r"(vtcr));
	mask = (vtcr & VTCR_VS) ? 0xffffull : 0xffull;
	tge = (hcr & HCR_E2H) && (hcr & HCR_TGE);
	if (!tge && ((vttbr >> 48) & mask) == (t->vmid & mask)) {
		tlbi_insn(t->op, t->xt);
		return;
	}
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #3" : "=r"(daif)
			 : : "memory");
	__asm__ volatile("msr vttbr_el2, %0" : : "r"((vttbr & ~(mask << 48)) |
		((uint64_t)t->vmid & mask) << 48) : "memory");
	if (tge)
		__asm__ volatile("msr hcr_el2, %0" : : "r"(hcr & ~HCR_TGE)
				 : "memory");
	__asm__ volatile("isb" : : : "memory");
	tlbi_insn(t->op, t->xt);
	if (tge)
		__asm__ volatile("msr hcr_el2, %0" : : "r"(hcr) : "memory");
	__asm__ volatile("msr vttbr_el2, %0" : : "r"(vttbr) : "memory");
	__asm__ volatile("isb\n\tmsr daif, %0" : : "r"(daif) : "memory");
}

/* ------------------------------------------------------------------ */
/* Cache maintenance                                                   */
/* ------------------------------------------------------------------ */

/* One granule of data at va (rounded down to the granule), line by line
 * at CTR_EL0's minimum line sizes. No DSB: the library issues it. */
static void aa_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	const vmsa_pgt_aarch64_t *a = ctx;
	uintptr_t size = (uintptr_t)1 << a->granule_shift;
	uintptr_t p = (uintptr_t)va & ~(size - 1), end = p + size;

	switch (op) {
	case VMSA_PGT_DC_CVAC:
		for (; p < end; p += a->dline)
			__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
		break;
	case VMSA_PGT_DC_CIVAC:
		for (; p < end; p += a->dline)
			__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
		break;
	case VMSA_PGT_DC_CVAU:
		for (; p < end; p += a->dline)
			__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
		break;
	case VMSA_PGT_IC_IVAU:
		for (; p < end; p += a->iline)
			__asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
		break;
	case VMSA_PGT_IC_IALLUIS:
		__asm__ volatile("ic ialluis" : : : "memory");
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The caller's memory                                                 */
/* ------------------------------------------------------------------ */

static void *aa_zalloc_page(void *ctx)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	return a->mm.zalloc_page(a->mm.ctx);
}

static void *aa_zalloc_pages(void *ctx, unsigned n)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	return a->mm.zalloc_pages(a->mm.ctx, n);
}

static void aa_free_page(void *ctx, void *page)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	a->mm.free_page(a->mm.ctx, page);
}

static void aa_get_page(void *ctx, void *page)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	a->mm.get_page(a->mm.ctx, page);
}

static void aa_put_page(void *ctx, void *page)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	a->mm.put_page(a->mm.ctx, page);
}

static int aa_page_count(void *ctx, void *page)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	return a->mm.page_count(a->mm.ctx, page);
}

static vmsa_pgt_pa_t aa_virt_to_phys(void *ctx, void *va)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	return a->mm.virt_to_phys(a->mm.ctx, va);
}

static void *aa_phys_to_virt(void *ctx, vmsa_pgt_pa_t pa)
{
	const vmsa_pgt_aarch64_t *a = ctx;

	return a->mm.phys_to_virt(a->mm.ctx, pa);
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

/* CTR_EL0.DminLine [19:16] and IminLine [3:0]: log2 of the number of
 * 4-byte words in the smallest line. */
static void line_sizes(vmsa_pgt_aarch64_t *a)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	a->dline = 4u << ((ctr >> 16) & 15u);
	a->iline = 4u << (ctr & 15u);
}

int vmsa_pgt_aarch64_init(vmsa_pgt_aarch64_t *a, vmsa_granule_t granule,
			  const vmsa_pgt_aarch64_mm_t *mm,
			  const vmsa_pgt_features_t *f)
{
	vmsa_pgt_ops_t *o;

	if (!a || !mm || !f || (unsigned)granule > VMSA_GRANULE_64K ||
	    !mm->zalloc_page || !mm->free_page || !mm->get_page ||
	    !mm->put_page || !mm->page_count || !mm->virt_to_phys ||
	    !mm->phys_to_virt)
		return -EINVAL;
	a->mm.ctx = mm->ctx;
	a->mm.zalloc_page = mm->zalloc_page;
	a->mm.zalloc_pages = mm->zalloc_pages;
	a->mm.free_page = mm->free_page;
	a->mm.get_page = mm->get_page;
	a->mm.put_page = mm->put_page;
	a->mm.page_count = mm->page_count;
	a->mm.virt_to_phys = mm->virt_to_phys;
	a->mm.phys_to_virt = mm->phys_to_virt;
	a->granule_shift = 12u + 2u * (unsigned)granule;
	line_sizes(a);

	o = &a->ops;
	o->ctx = a;
	o->read = aa_read;
	o->write = aa_write;
	o->cas = aa_cas;
	o->dsb = aa_dsb;
	o->isb = aa_isb;
	o->tlbi = aa_tlbi;
	o->cmo = aa_cmo;
	o->zalloc_page = aa_zalloc_page;
	o->zalloc_pages = mm->zalloc_pages ? aa_zalloc_pages : NULL;
	o->free_page = aa_free_page;
	o->get_page = aa_get_page;
	o->put_page = aa_put_page;
	o->page_count = aa_page_count;
	o->virt_to_phys = aa_virt_to_phys;
	o->phys_to_virt = aa_phys_to_virt;
	o->features.bbm_level = f->bbm_level;
	o->features.bbm2_noabort = f->bbm2_noabort;
	o->features.tlbirange = f->tlbirange;
	o->features.s2fwb = f->s2fwb;
	o->features.dic = f->dic;
	o->features.idc = f->idc;
	o->features.hw_af = f->hw_af;
	o->features.hw_dbm = f->hw_dbm;
	return 0;
}

#else

/* Not an AArch64 target: nothing (ISO C wants a declaration). */
typedef int vmsa_backend_aarch64_unused;

#endif
