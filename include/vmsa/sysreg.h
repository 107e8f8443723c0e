/*
 * vmsa/sysreg.h - the system registers a simulated CPU has, by name.
 *
 * Scenario code passes these to vmsa_msr()/vmsa_mrs() (vmsa/model.h).
 * The names are the architectural accessor names: an access at EL2 with
 * HCR_EL2.E2H = 1 to a *_EL1 name that FEAT_VHE redirects (SCTLR_EL1,
 * TTBR0_EL1, ...) reaches the EL2 register, and the *_EL12 names reach
 * the EL1 registers from there, as on hardware (Arm ARM D24.2, the
 * "Accessing" part of each register page).
 */
#ifndef VMSA_SYSREG_H
#define VMSA_SYSREG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

enum vmsa_sysreg {
	/* EL1&0 translation */
	VMSA_REG_TTBR0_EL1,
	VMSA_REG_TTBR1_EL1,
	VMSA_REG_TCR_EL1,
	VMSA_REG_SCTLR_EL1,
	VMSA_REG_MAIR_EL1,
	VMSA_REG_CONTEXTIDR_EL1,
	/* stage 2 and hypervisor control */
	VMSA_REG_VTTBR_EL2,
	VMSA_REG_VTCR_EL2,
	VMSA_REG_HCR_EL2,
	/* EL2 and EL2&0 translation */
	VMSA_REG_TTBR0_EL2,
	VMSA_REG_TTBR1_EL2,		/* used with HCR_EL2.E2H = 1 */
	VMSA_REG_TCR_EL2,
	VMSA_REG_SCTLR_EL2,
	VMSA_REG_MAIR_EL2,
	VMSA_REG_CONTEXTIDR_EL2,	/* target of CONTEXTIDR_EL1 at EL2, E2H = 1 */
	/* FP/SIMD access control */
	VMSA_REG_CPTR_EL2,
	VMSA_REG_CPACR_EL1,
	VMSA_REG_FPEXC32_EL2,
	/* address translation result */
	VMSA_REG_PAR_EL1,
	/* exception syndrome, addresses, return state, vectors */
	VMSA_REG_ESR_EL1,
	VMSA_REG_ESR_EL2,
	VMSA_REG_FAR_EL1,
	VMSA_REG_FAR_EL2,
	VMSA_REG_HPFAR_EL2,
	VMSA_REG_ELR_EL1,
	VMSA_REG_ELR_EL2,
	VMSA_REG_SPSR_EL1,
	VMSA_REG_SPSR_EL2,
	VMSA_REG_VBAR_EL1,
	VMSA_REG_VBAR_EL2,
	/* Statistical Profiling Extension buffer (no EL2 counterparts) */
	VMSA_REG_PMBLIMITR_EL1,
	VMSA_REG_PMBPTR_EL1,
	VMSA_REG_PMBSR_EL1,
	/* Statistical Profiling controls: PMSCR_EL1 at EL2 with E2H = 1
	 * reaches PMSCR_EL2 (D24.7.8) */
	VMSA_REG_PMSCR_EL1,
	VMSA_REG_PMSCR_EL2,
	/* Debug and fine-grained trap controls of EL2 (MDCR_EL2.E2PB and
	 * TPMS, D24.3.17; HFGITR_EL2 with FEAT_FGT only, D24.2.71) */
	VMSA_REG_MDCR_EL2,
	VMSA_REG_HFGITR_EL2,
	/* Interrupts: PSTATE.{D,A,I,F} as MRS/MSR DAIF see it (bits
	 * [9:6], VMSA_DAIF_*), and the GIC CPU interface's priority mask */
	VMSA_REG_DAIF,
	VMSA_REG_ICC_PMR_EL1,

	/* Registers with storage: struct sysregs has this many. */
	VMSA_REG_COUNT,

	/*
	 * FEAT_VHE accessor names for the EL1 registers, usable only at EL2
	 * with HCR_EL2.E2H = 1 (UNDEFINED otherwise). They have no storage
	 * of their own: they name the *_EL1 register above.
	 */
	VMSA_REG_SCTLR_EL12 = VMSA_REG_COUNT,
	VMSA_REG_TTBR0_EL12,
	VMSA_REG_TTBR1_EL12,
	VMSA_REG_TCR_EL12,
	VMSA_REG_MAIR_EL12,
	VMSA_REG_CONTEXTIDR_EL12,
	VMSA_REG_CPACR_EL12,
	VMSA_REG_ESR_EL12,
	VMSA_REG_FAR_EL12,
	VMSA_REG_ELR_EL12,
	VMSA_REG_SPSR_EL12,
	VMSA_REG_VBAR_EL12,
	VMSA_REG_PMSCR_EL12,

	/* Every name, storage and accessor-only. */
	VMSA_REG_END
};

/* ---------------------------------------------------------------------
 * Register values: the fields scenario code writes with vmsa_msr(), so
 * that a value reads as what it means, not as a bare number. OR them
 * together, e.g.
 *	VMSA_TCR_T0SZ(25) | VMSA_TCR_TG0_4K | VMSA_TCR_EPD1 |
 *	VMSA_TCR_IPS(VMSA_PS_40)
 * is TCR_EL1 for a 39-bit VA range in TTBR0 with 4K pages, TTBR1 walks
 * off and a 40-bit IPA/PA. Arm ARM D24.2 (each register's page). HCR_EL2
 * bits are VMSA_HCR_* in vmsa/arch.h.
 * ------------------------------------------------------------------- */

/* Physical address size encodings of TCR_EL1.IPS, TCR_EL2.PS and
 * VTCR_EL2.PS. */
#define VMSA_PS_32 0u
#define VMSA_PS_36 1u
#define VMSA_PS_40 2u
#define VMSA_PS_42 3u
#define VMSA_PS_44 4u
#define VMSA_PS_48 5u

/* TCR_EL1 (and TCR_EL2 with HCR_EL2.E2H = 1, same layout). TnSZ = 64 -
 * the VA bits of the range. TG0 and TG1 encode granules differently. */
#define VMSA_TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define VMSA_TCR_EPD0 (1ull << 7)      /* TTBR0 walks fault */
#define VMSA_TCR_IRGN0_WB (1ull << 8)  /* TTBR0 walks: Inner Write-Back */
#define VMSA_TCR_ORGN0_WB (1ull << 10) /* ... Outer Write-Back */
#define VMSA_TCR_SH0_ISH (3ull << 12)  /* ... Inner Shareable */
#define VMSA_TCR_TG0_4K (0ull << 14)
#define VMSA_TCR_TG0_64K (1ull << 14)
#define VMSA_TCR_TG0_16K (2ull << 14)
#define VMSA_TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define VMSA_TCR_A1 (1ull << 22)       /* the ASID comes from TTBR1 */
#define VMSA_TCR_EPD1 (1ull << 23)     /* TTBR1 walks fault */
#define VMSA_TCR_TG1_16K (1ull << 30)
#define VMSA_TCR_TG1_4K (2ull << 30)
#define VMSA_TCR_TG1_64K (3ull << 30)
#define VMSA_TCR_IPS(ps) ((uint64_t)(ps) << 32) /* VMSA_PS_* */
#define VMSA_TCR_AS (1ull << 36)       /* 16-bit ASIDs */
#define VMSA_TCR_TBI0 (1ull << 37)
#define VMSA_TCR_TBI1 (1ull << 38)
#define VMSA_TCR_HA (1ull << 39)       /* hardware AF (FEAT_HAFDBS) */
#define VMSA_TCR_HD (1ull << 40)       /* hardware dirty state (with HA) */
#define VMSA_TCR_HPD0 (1ull << 41)
#define VMSA_TCR_HPD1 (1ull << 42)

/* VTCR_EL2: the stage-2 input size is 64 - T0SZ bits of IPA; SL0 is the
 * start level's encoding (4K: 0 = level 2, 1 = level 1, 2 = level 0). */
#define VMSA_VTCR_T0SZ(n) ((uint64_t)(n) << 0)
#define VMSA_VTCR_SL0(v) ((uint64_t)(v) << 6)
#define VMSA_VTCR_IRGN0_WB (1ull << 8)
#define VMSA_VTCR_ORGN0_WB (1ull << 10)
#define VMSA_VTCR_SH0_ISH (3ull << 12)
#define VMSA_VTCR_TG0_4K (0ull << 14)
#define VMSA_VTCR_TG0_64K (1ull << 14)
#define VMSA_VTCR_TG0_16K (2ull << 14)
#define VMSA_VTCR_PS(ps) ((uint64_t)(ps) << 16) /* VMSA_PS_* */
#define VMSA_VTCR_VS (1ull << 19)      /* 16-bit VMIDs */
#define VMSA_VTCR_HA (1ull << 21)      /* hardware AF (FEAT_HAFDBS) */
#define VMSA_VTCR_HD (1ull << 22)      /* hardware dirty state (with HA) */

/* TTBRn_ELx: table base and ASID; VTTBR_EL2: table base and VMID. */
#define VMSA_TTBR(base, asid) ((uint64_t)(base) | (uint64_t)(asid) << 48)
#define VMSA_VTTBR(base, vmid) ((uint64_t)(base) | (uint64_t)(vmid) << 48)

/* SCTLR_ELx. */
#define VMSA_SCTLR_M (1ull << 0)       /* stage-1 MMU on */
#define VMSA_SCTLR_WXN (1ull << 19)
/* FEAT_ExS (D24.2.175, .176): exception entry to (EIS) and exception
 * return from (EOS) this EL is a context synchronisation event. Without
 * FEAT_ExS both are RES1, and the model ignores them. */
#define VMSA_SCTLR_EOS (1ull << 11)
#define VMSA_SCTLR_EIS (1ull << 22)
/* FEAT_MTE2: Tag Check Faults at EL1 (TCF, bits [41:40]) and at EL0
 * (TCF0, bits [39:38]); 0b01 makes them synchronous (D10.7). */
#define VMSA_SCTLR_TCF_MASK (3ull << 40)
#define VMSA_SCTLR_TCF_SYNC (1ull << 40)
#define VMSA_SCTLR_TCF0_MASK (3ull << 38)
#define VMSA_SCTLR_TCF0_SYNC (1ull << 38)

/* DAIF (and SPSR_ELx bits [9:6]): the PSTATE interrupt masks. Reset sets
 * all four; exception entry sets all four; an exception return restores
 * them (vmsa_eret: from SPSR_ELx). vmsa_daif_set()/vmsa_daif_clr() take
 * these bits too. */
#define VMSA_DAIF_F (1ull << 6)
#define VMSA_DAIF_I (1ull << 7)
#define VMSA_DAIF_A (1ull << 8)
#define VMSA_DAIF_D (1ull << 9)
#define VMSA_DAIF_ALL (VMSA_DAIF_D | VMSA_DAIF_A | VMSA_DAIF_I | VMSA_DAIF_F)

/* ICC_PMR_EL1: an interrupt is signalled only when its priority value
 * is below the mask (lower is more urgent). The values of Linux's
 * pseudo-NMI: interrupts unmasked, and "IRQs off" (local_irq_disable()
 * with pseudo-NMIs), which still lets a pseudo-NMI through. */
#define VMSA_PMR_UNMASKED 0xe0u
#define VMSA_PMR_IRQOFF 0x60u

/* MAIR_ELx: attribute `attr` in index idx (0-7, AttrIndx of stage-1
 * descriptors). */
#define VMSA_MAIR(idx, attr) ((uint64_t)(attr) << (8 * (idx)))
#define VMSA_MAIR_DEVICE_nGnRnE 0x00u
#define VMSA_MAIR_DEVICE_nGnRE 0x04u
#define VMSA_MAIR_NORMAL_NC 0x44u
#define VMSA_MAIR_NORMAL_WB 0xffu      /* Inner/Outer Write-Back RW-allocate */

/* FP/SIMD access control (D24.2.36 CPACR_EL1, D24.2.38 CPTR_EL2,
 * D24.2.52 FPEXC32_EL2). FPEN: 0b11 traps nothing, 0b01 traps EL0 (for
 * CPTR_EL2 with E2H = 1: EL0 when TGE = 1), 0b00/0b10 trap EL0 and EL1
 * (and EL2 for CPTR_EL2). TFP is CPTR_EL2's trap with E2H = 0. */
#define VMSA_CPACR_FPEN(v) ((uint64_t)(v) << 20)
#define VMSA_CPTR_FPEN(v) ((uint64_t)(v) << 20)   /* E2H = 1 format */
#define VMSA_CPTR_TFP (1ull << 10)                /* E2H = 0 format */
#define VMSA_FPEXC_EN (1ull << 30)                /* FPEXC32_EL2, FPEXC */
/* Statistical Profiling (Arm ARM D24.7; docs/model.md, "Statistical
 * Profiling"). PMBLIMITR_EL1: LIMIT is the VA of the first byte after
 * the buffer (4K aligned), E enables the buffer. */
#define VMSA_PMBLIMITR_E (1ull << 0)
#define VMSA_PMBLIMITR_LIMIT_MASK (~0xfffull)
/* PMBSR_EL1 (D24.7.5): EC [31:26], DL (partial record lost), EA, S
 * (service: a management event was recorded; drives PMBIRQ), MSS [15:0]
 * holding FSC [5:0] for a Data Abort on a buffer write, BSC [5:0]
 * otherwise. */
#define VMSA_PMBSR_EC(v) ((unsigned)((v) >> 26) & 0x3fu)
#define VMSA_PMBSR_EC_SHIFT 26
#define VMSA_PMBSR_EC_OTHER 0x00u   /* e.g. buffer full */
#define VMSA_PMBSR_EC_S1 0x24u      /* stage-1 Data Abort on a buffer write */
#define VMSA_PMBSR_EC_S2 0x25u      /* stage-2 Data Abort on a buffer write */
#define VMSA_PMBSR_DL (1ull << 19)
#define VMSA_PMBSR_EA (1ull << 18)
#define VMSA_PMBSR_S (1ull << 17)
#define VMSA_PMBSR_FSC(v) ((unsigned)(v) & 0x3fu)
#define VMSA_PMBSR_BSC_FULL 0x01u
/* PMSCR_EL1 (D24.7.8): sampling enabled at EL0 / EL1 (with
 * HCR_EL2.TGE = 0). PMSCR_EL2 (D24.7.9): at EL0 with TGE = 1 (host EL0)
 * / at EL2. */
#define VMSA_PMSCR_E0SPE (1ull << 0)
#define VMSA_PMSCR_E1SPE (1ull << 1)
#define VMSA_PMSCR_E0HSPE (1ull << 0)
#define VMSA_PMSCR_E2SPE (1ull << 1)
/* MDCR_EL2 (D24.3.17): E2PB [13:12] (0b00: the buffer is owned by EL2
 * and EL1 accesses to PMB* trap; 0b10: owned by EL1, EL1 accesses trap;
 * 0b11: owned by EL1, no trap), TPMS traps EL1 accesses to PMSCR_EL1. */
#define VMSA_MDCR_E2PB(v) ((uint64_t)((v) & 3u) << 12)
#define VMSA_MDCR_E2PB_EL2_TRAP 0u
#define VMSA_MDCR_E2PB_EL1_TRAP 2u
#define VMSA_MDCR_E2PB_EL1 3u
#define VMSA_MDCR_TPMS (1ull << 14)
/* HFGITR_EL2.ERET (D24.2.71): ERET at EL1 traps to EL2, EC 0x1A. */
#define VMSA_HFGITR_ERET (1ull << 51)

/* The register's architectural name, "TTBR0_EL1" ("?" when out of
 * range). Defined for every value below VMSA_REG_END. */
const char *vmsa_sysreg_name(enum vmsa_sysreg r);

/* Parse a register name, case-insensitively ("ttbr0_el1", "SCTLR_EL12").
 * Returns 0 and sets *r, or -EINVAL for an unknown name or NULL (*r
 * untouched). */
int vmsa_sysreg_parse(const char *s, enum vmsa_sysreg *r);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
