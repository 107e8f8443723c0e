/*
 * bench/linux-shim/kshim.h - the small part of a kernel environment that
 * Linux's arch/arm64/kvm/hyp/pgtable.c (and asm/kvm_pgtable.h) needs to
 * run as an ordinary x86-64 program for bench/pgtable: fixed-width types,
 * bit and alignment helpers, single-copy accesses, a 4K-page arm64
 * configuration, no-op barriers, out-of-line no-op TLB maintenance and
 * the two KVM structures the code reaches into.
 *
 * Written for vmsa from what the code uses, not taken from the kernel;
 * Linux's own files are extracted from Debian's linux-source package at
 * build time (make bench-linux) and never enter the repository. The
 * configuration it fixes, so that both libraries do the same work:
 * 4K pages, 48-bit PA, no LPA2, no FEAT_S2FWB, no FEAT_TLBIRANGE, no BTI,
 * nVHE stage-1 AP encodings; the CPU capabilities are compile-time false,
 * as a patched static branch in the kernel costs nothing either.
 */
#ifndef VMSA_BENCH_KSHIM_H
#define VMSA_BENCH_KSHIM_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int8_t s8;
typedef uint8_t u8;
typedef uint16_t u16;
typedef int32_t s32;
typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;
typedef u64 phys_addr_t;
typedef u64 kvm_pfn_t;

/* ---- configuration: arm64 with 4K pages ---- */
#define CONFIG_ARM64_4K_PAGES 1
/* Every other CONFIG_ option the code asks IS_ENABLED about is off. */
#define IS_ENABLED(option) 0
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PTRS_PER_PTE (1 << (PAGE_SHIFT - 3))
/* Each level resolves PAGE_SHIFT - 3 bits; level 3 starts at PAGE_SHIFT. */
#define ARM64_HW_PGTABLE_LEVEL_SHIFT(n) \
	((PAGE_SHIFT - 3) * (4 - (n)) + 3)
#define ARM64_HW_PGTABLE_LEVELS(va_bits) \
	(((va_bits) - 4) / (PAGE_SHIFT - 3))
#define __phys_to_pfn(pa) ((u64)(pa) >> PAGE_SHIFT)

/* ---- bits, fields, alignment ---- */
#define BIT(n) (1UL << (n))
#define GENMASK(hi, lo) ((~0UL >> (63 - (hi))) & (~0UL << (lo)))
#define FIELD_PREP(mask, v) \
	(((u64)(v) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzll(mask))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN(x, a) ALIGN_DOWN((x) + ((__typeof__(x))(a) - 1), (a))
#define PAGE_ALIGN(x) ALIGN((x), PAGE_SIZE)
#define min(a, b) ({ __typeof__(a) a_ = (a); __typeof__(b) b_ = (b); \
		     a_ < b_ ? a_ : b_; })
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#define likely(c) __builtin_expect(!!(c), 1)
#define unlikely(c) __builtin_expect(!!(c), 0)

/* Error pointers: the top 4095 addresses carry -errno. */
#define ERR_PTR(err) ((void *)(long)(err))
#define PTR_ERR(p) ((long)(p))
#define IS_ERR(p) ((unsigned long)(p) >= (unsigned long)-4095)

/* A warning is counted, not printed: the benchmark fails when Linux's
 * code warned, since it then measured a misuse. */
extern unsigned long kshim_warnings;
#define WARN_ON(c) ({ bool w_ = !!(c); if (unlikely(w_)) kshim_warnings++; w_; })
#define WARN_ON_ONCE(c) WARN_ON(c)

/* ---- memory accesses and barriers ---- */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* Returns the value found; stores new iff it equals old. */
#define cmpxchg(p, old, new) ({ __typeof__(*(p)) o_ = (old); \
	__atomic_compare_exchange_n((p), &o_, (new), false, \
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); o_; })
/* DSB and ISB order nothing on the host: a compiler barrier keeps the
 * code's shape. */
#define dsb(opt) __asm__ __volatile__("" ::: "memory")
#define isb() __asm__ __volatile__("" ::: "memory")

/* Exclusive walks only: RCU read sections are empty. */
#define __rcu
#define rcu_dereference_check(p, c) ((void)(c), (p))
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_read_lock_held() true

/* ---- CPU features: all absent ---- */
enum kshim_cap {
	ARM64_KVM_HVHE,
	ARM64_HAS_STAGE2_FWB,
	ARM64_WORKAROUND_AMPERE_AC03_CPU_38,
};
#define cpus_have_final_cap(cap) ((void)(cap), false)
#define system_supports_lpa2() false
#define system_supports_bti_kernel() false
#define system_supports_tlb_range() false

/* ID_AA64MMFR0_EL1.PARange and the PA size each value means. */
#define ID_AA64MMFR0_EL1_PARANGE_SHIFT 0
#define ID_AA64MMFR0_EL1_PARANGE_48 5
#define ID_AA64MMFR0_EL1_PARANGE_52 6
#define cpuid_feature_extract_unsigned_field(reg, shift) \
	(((reg) >> (shift)) & 0xf)
static inline unsigned id_aa64mmfr0_parange_to_phys_shift(u64 parange)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};

	return parange < 7 ? bits[parange] : 48;
}

/* ---- memory types ---- */
/* Stage-1 MAIR indexes (hypervisor mappings; not measured). */
#define MT_NORMAL 0
#define MT_DEVICE_nGnRE 4
/* Stage-2 MemAttr[3:0] (bits 5:2 of a descriptor): without FWB, outer
 * and inner attributes; with FWB, the combined encodings. */
#define KSHIM_S2_NORMAL 0xfUL
#define KSHIM_S2_NORMAL_NC 0x5UL
#define KSHIM_S2_DEVICE_nGnRE 0x1UL
#define KSHIM_S2_FWB_NORMAL 0x6UL
#define KSHIM_S2_FWB_NORMAL_NC 0x5UL
#define KSHIM_S2_FWB_DEVICE_nGnRE 0x1UL
#define PAGE_S2_MEMATTR(attr, fwb) \
	(((fwb) ? KSHIM_S2_FWB_##attr : KSHIM_S2_##attr) << 2)

/* ---- VTCR_EL2 ---- */
#define VTCR_EL2_FLAGS 0UL
#define VTCR_EL2_T0SZ(ipa_bits) (64UL - (ipa_bits))
#define VTCR_EL2_IPA(vtcr) (64 - (int)((vtcr) & 0x3f))
#define VTCR_EL2_SL0_MASK GENMASK(7, 6)
/* 4K granule: SL0 = 0, 1, 2 start at level 2, 1, 0. */
#define VTCR_EL2_TGRAN_SL0_BASE 2
#define VTCR_EL2_LVLS_TO_SL0(levels) \
	FIELD_PREP(VTCR_EL2_SL0_MASK, (levels) - 2)
#define VTCR_EL2_PS_SHIFT 16
#define VTCR_EL2_VS_8BIT 0UL
#define VTCR_EL2_VS_16BIT BIT(19)
#define VTCR_EL2_HA BIT(21)
#define VTCR_EL2_DS BIT(32)
#define get_vmid_bits(mmfr1) ((void)(mmfr1), 16)
/* Levels a stage-2 table of ipa_bits needs when the root may be up to
 * 16 concatenated tables (4 bits fewer to resolve by levels). */
#define stage2_pgtable_levels(ipa_bits) ARM64_HW_PGTABLE_LEVELS((ipa_bits) - 4)

/* ---- TLB maintenance: out-of-line calls that do nothing, as a call to
 * the hypervisor's TLBI helpers would be a call ---- */
struct kvm_s2_mmu;
void __kvm_tlb_flush_vmid_ipa(struct kvm_s2_mmu *mmu, phys_addr_t ipa,
			      int level);
void __kvm_tlb_flush_vmid_ipa_nsh(struct kvm_s2_mmu *mmu, phys_addr_t ipa,
				  int level);
void __kvm_tlb_flush_vmid(struct kvm_s2_mmu *mmu);
void __kvm_tlb_flush_vmid_range(struct kvm_s2_mmu *mmu, phys_addr_t start,
				unsigned long pages);
void kshim_tlbi_el2(u64 operand, int level);
#define kvm_call_hyp(fn, ...) fn(__VA_ARGS__)
#define TLBI_TTL_UNKNOWN INT_MAX
/* A range TLBI covers at most (31 + 1) << (5 * 3 + 1) pages. */
#define MAX_TLBI_RANGE_PAGES (32UL << 16)
#define __TLBI_VADDR(addr, asid) \
	(((u64)(addr) >> 12) | ((u64)(asid) << 48))
#define __tlbi_level(op, operand, level) kshim_tlbi_el2((operand), (level))
#define __tlbi_sync_s1ish_hyp() dsb(ish)

/* ---- the KVM structures pgtable.c reaches into ---- */
struct kvm_pgtable;
/* Pages set aside for a walk (KVM tops it up before taking the lock);
 * the benchmark's pool stands behind it, so only the count matters. */
struct kvm_mmu_memory_cache {
	int nobjs;
};
struct kvm_s2_mmu {
	u64 vtcr;
	struct kvm_pgtable *pgt;
	struct kvm_mmu_memory_cache split_page_cache;
};

#endif
