/*
 * bench/linux-shim/kvm_lib.c - Linux's kvm_pgtable behind
 * bench/pgtable_lib.h: arch/arm64/kvm/hyp/pgtable.c, taken from Debian's
 * linux-source package and compiled for the host by make bench-linux,
 * with what KVM's host side would give it here: mm_ops over the
 * benchmark's page pool (reference counts per page, identity phys/virt,
 * cache maintenance that does nothing), the hypervisor's TLBI helpers as
 * out-of-line calls that do nothing, and a memory cache topped up before
 * each operation, as KVM tops one up before taking the MMU lock.
 *
 * How each benchmark operation maps onto Linux's API:
 * - map with pages only: kvm_pgtable_stage2_map() on a table whose
 *   force_pte_cb says yes (what KVM does for dirty logging), so that an
 *   aligned range gets 4K pages, not blocks;
 * - wrprotect: kvm_pgtable_stage2_wrprotect(), which leaves the TLB to its
 *   caller, then the one kvm_tlb_flush_vmid_range() KVM's caller makes
 *   (without FEAT_TLBIRANGE: one whole-VMID invalidation);
 * - split: kvm_pgtable_stage2_split() with the MMU's split page cache.
 */
#include <stdlib.h>

#include <asm/kvm_pgtable.h>

#include "page_pool.h"
#include "../pgtable_lib.h"

#ifndef KSHIM_LINUX_VERSION
#define KSHIM_LINUX_VERSION "unknown"
#endif

/* Pages of the pool, as many as vmsa's host backend gets: 1 GiB of 4K
 * pages needs 515. */
#define LX_POOL_PAGES 1024u

unsigned long kshim_warnings;
static page_pool_t lx_pool;

/* ---- the hypervisor's TLB maintenance, as calls that do nothing ---- */

void __kvm_tlb_flush_vmid_ipa(struct kvm_s2_mmu *mmu, phys_addr_t ipa,
			      int level)
{
	(void)mmu, (void)ipa, (void)level;
}

void __kvm_tlb_flush_vmid_ipa_nsh(struct kvm_s2_mmu *mmu, phys_addr_t ipa,
				  int level)
{
	(void)mmu, (void)ipa, (void)level;
}

void __kvm_tlb_flush_vmid(struct kvm_s2_mmu *mmu)
{
	(void)mmu;
}

void __kvm_tlb_flush_vmid_range(struct kvm_s2_mmu *mmu, phys_addr_t start,
				unsigned long pages)
{
	(void)mmu, (void)start, (void)pages;
}

void kshim_tlbi_el2(u64 operand, int level)
{
	(void)operand, (void)level;
}

/* ---- mm_ops ---- */

/* A page from the memory cache arg (KVM's stage-2 walkers always pass
 * one; hypervisor stage-1 walkers pass NULL). */
static void *lx_zalloc_page(void *arg)
{
	struct kvm_mmu_memory_cache *mc = arg;

	if (mc) {
		if (mc->nobjs <= 0)
			return NULL;
		mc->nobjs--;
	}
	return pool_zalloc(&lx_pool, 1);
}

/* The concatenated root: contiguous pages. */
static void *lx_zalloc_pages_exact(size_t size)
{
	return pool_zalloc(&lx_pool, (uint32_t)((size + PAGE_SIZE - 1) /
						 PAGE_SIZE));
}

static void lx_free_pages_exact(void *addr, size_t size)
{
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		pool_free(&lx_pool, (char *)addr + off);
}

static struct kvm_pgtable_mm_ops lx_mm_ops;

static void lx_free_unlinked_table(void *addr, s8 level)
{
	kvm_pgtable_stage2_free_unlinked(&lx_mm_ops, addr, level);
}

static void lx_get_page(void *addr)
{
	pool_get(&lx_pool, addr);
}

static void lx_put_page(void *addr)
{
	pool_put(&lx_pool, addr);
}

static int lx_page_count(void *addr)
{
	return pool_count(&lx_pool, addr);
}

static void *lx_phys_to_virt(phys_addr_t phys)
{
	return (void *)(uintptr_t)phys;
}

static phys_addr_t lx_virt_to_phys(void *addr)
{
	return (uintptr_t)addr;
}

/* Cache maintenance does nothing on the host; still a call, as the
 * library makes one per page it maps or unmaps. */
static void lx_no_cmo(void *addr, size_t size)
{
	(void)addr, (void)size;
}

static struct kvm_pgtable_mm_ops lx_mm_ops = {
	.zalloc_page = lx_zalloc_page,
	.zalloc_pages_exact = lx_zalloc_pages_exact,
	.free_pages_exact = lx_free_pages_exact,
	.free_unlinked_table = lx_free_unlinked_table,
	.get_page = lx_get_page,
	.put_page = lx_put_page,
	.page_count = lx_page_count,
	.phys_to_virt = lx_phys_to_virt,
	.virt_to_phys = lx_virt_to_phys,
	.dcache_clean_inval_poc = lx_no_cmo,
	.icache_inval_pou = lx_no_cmo,
};

/* ---- the benchmark's operations ---- */

typedef struct lx_table {
	struct kvm_pgtable pgt;
	struct kvm_s2_mmu mmu;
	struct kvm_mmu_memory_cache mc;
	bool pages;   /* force_pte_cb's answer for the current map */
} lx_table_t;

/* The table whose map is running: force_pte_cb has no context argument. */
static lx_table_t *lx_current;

static bool lx_force_pte(u64 addr, u64 end, enum kvm_pgtable_prot prot)
{
	(void)addr, (void)end, (void)prot;
	return lx_current->pages;
}

/* A memory cache that never runs dry during one operation. */
static void lx_topup(struct kvm_mmu_memory_cache *mc)
{
	mc->nobjs = INT_MAX;
}

static void *lx_create(void)
{
	lx_table_t *t = calloc(1, sizeof(*t));

	if (!lx_pool.base)
		pool_init(&lx_pool, LX_POOL_PAGES);
	if (!t)
		return NULL;
	/* 40-bit IPA, three levels from level 1 (SL0 = 1): two
	 * concatenated root pages, like vmsa's table. */
	t->mmu.vtcr = VTCR_EL2_T0SZ(40) | VTCR_EL2_LVLS_TO_SL0(3);
	t->mmu.pgt = &t->pgt;
	if (__kvm_pgtable_stage2_init(&t->pgt, &t->mmu, &lx_mm_ops, 0,
				      lx_force_pte)) {
		free(t);
		return NULL;
	}
	return t;
}

static void lx_destroy(void *tp)
{
	lx_table_t *t = tp;

	kvm_pgtable_stage2_destroy(&t->pgt);
	free(t);
}

static int lx_map(void *tp, uint64_t ipa, uint64_t size, uint64_t pa,
		  bool pages)
{
	lx_table_t *t = tp;

	t->pages = pages;
	lx_current = t;
	lx_topup(&t->mc);
	return kvm_pgtable_stage2_map(&t->pgt, ipa, size, pa,
				      KVM_PGTABLE_PROT_RW, &t->mc, 0);
}

static int lx_unmap(void *tp, uint64_t ipa, uint64_t size)
{
	lx_table_t *t = tp;

	return kvm_pgtable_stage2_unmap(&t->pgt, ipa, size);
}

static int lx_wrprotect(void *tp, uint64_t ipa, uint64_t size)
{
	lx_table_t *t = tp;
	int err = kvm_pgtable_stage2_wrprotect(&t->pgt, ipa, size);

	kvm_tlb_flush_vmid_range(&t->mmu, ipa, size);
	return err;
}

static int lx_split(void *tp, uint64_t ipa, uint64_t size)
{
	lx_table_t *t = tp;

	lx_topup(&t->mmu.split_page_cache);
	return kvm_pgtable_stage2_split(&t->pgt, ipa, size,
					&t->mmu.split_page_cache);
}

static int lx_leaf(void *tp, uint64_t ipa, uint64_t *desc, int *level)
{
	lx_table_t *t = tp;
	kvm_pte_t pte = 0;
	s8 lvl = 0;
	int err = kvm_pgtable_get_leaf(&t->pgt, ipa, &pte, &lvl);

	*desc = pte;
	*level = lvl;
	return err;
}

static long lx_pages_in_use(void)
{
	return lx_pool.in_use;
}

static unsigned long lx_warnings(void)
{
	return kshim_warnings;
}

const bench_pgt_lib_t bench_linux_lib = {
	.name = "linux",
	.version = KSHIM_LINUX_VERSION,
	.create = lx_create,
	.destroy = lx_destroy,
	.map = lx_map,
	.unmap = lx_unmap,
	.wrprotect = lx_wrprotect,
	.split = lx_split,
	.leaf = lx_leaf,
	.pages_in_use = lx_pages_in_use,
	.warnings = lx_warnings,
};
