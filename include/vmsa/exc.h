/*
 * vmsa/exc.h - a synchronous exception as the model delivers it to a
 * handler: what it is, where it comes from and goes to, and the syndrome
 * registers the architecture writes for it (ESR_ELx, FAR_ELx,
 * HPFAR_EL2), bit for bit.
 *
 * References: Arm ARM (DDI 0487) D24.2.46 ESR_EL2 (EC values, IL, the ISS
 * encodings for Data Aborts, Instruction Aborts, exceptions with an
 * unknown reason, the FPEN/TFP traps, HVC/SVC and SMC), D24.2.76
 * HPFAR_EL2, D8.15 (memory aborts).
 */
#ifndef VMSA_EXC_H
#define VMSA_EXC_H

#include "vmsa/arch.h"
#include "vmsa/sysreg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

typedef enum {
	VMSA_EXC_DATA_ABORT = 0, /* EC 0x24 / 0x25, including TLB conflicts */
	VMSA_EXC_INSN_ABORT,     /* EC 0x20 / 0x21 */
	VMSA_EXC_FP_TRAP,        /* EC 0x07: CPACR_EL1.FPEN, CPTR_EL2.TFP/FPEN */
	VMSA_EXC_UNDEFINED,      /* EC 0x00: UNDEFINED, or a trap the manual
				    reports as "unknown reason" */
	VMSA_EXC_IRQ,            /* a physical IRQ (an IPI or a pseudo-NMI:
				    `irq`); asynchronous, no syndrome */
	VMSA_EXC_SVC,            /* EC 0x15 (0x11 from AArch32): SVC */
	VMSA_EXC_HVC,            /* EC 0x16 (0x12 from AArch32): HVC */
	VMSA_EXC_SMC,            /* EC 0x17 (0x13 from AArch32): an SMC
				    trapped by HCR_EL2.TSC */
	VMSA_EXC_SYSREG_TRAP,    /* EC 0x18: a trapped MSR or MRS (MDCR_EL2.
				    E2PB, MDCR_EL2.TPMS) */
	VMSA_EXC_ERET_TRAP,      /* EC 0x1A: a trapped ERET (FEAT_FGT,
				    HFGITR_EL2.ERET) */
} vmsa_exc_type_t;

/* The interrupts one CPU sends another (vmsa_send_irq(), vmsa/model.h):
 * GIC software-generated interrupts with the priorities Linux gives
 * them. A pseudo-NMI is an ordinary IRQ of a higher priority, signalled
 * through ICC_PMR_EL1 values that mask the others: like any IRQ it is
 * masked by PSTATE.I (docs/model.md, "Interrupts"). */
typedef enum {
	VMSA_IRQ_IPI = 0,        /* priority VMSA_IRQ_PRIO_IPI */
	VMSA_IRQ_NMI = 1,        /* priority VMSA_IRQ_PRIO_NMI */
	/* The profiling buffer's interrupt, a private peripheral interrupt
	 * of the CPU, asserted while PMBSR_EL1.S = 1 (D17.8 RTSJRP,
	 * IGRLRX; no FEAT_SPE_EXC): the profiling unit raises it, no CPU
	 * sends it (vmsa_send_irq refuses it). Priority
	 * VMSA_IRQ_PRIO_PMB. */
	VMSA_IRQ_PMB = 2,
} vmsa_irq_t;

#define VMSA_IRQ_KINDS 3
#define VMSA_IRQ_PRIO_IPI 0xa0u  /* Linux's GICD_INT_DEF_PRI */
#define VMSA_IRQ_PRIO_NMI 0x20u  /* Linux's GICD_INT_NMI_PRI */
#define VMSA_IRQ_PRIO_PMB 0xa0u  /* a PPI at the default priority */

/* "IPI", "NMI", "PMBIRQ" ("?" out of range). */
const char *vmsa_irq_name(vmsa_irq_t k);

/* "data abort", "instruction abort", "FP/SIMD trap", "undefined", "IRQ",
 * "SVC", "HVC", "SMC", "MSR/MRS trap", "ERET trap". */
const char *vmsa_exc_type_name(vmsa_exc_type_t t);

/* Exception classes (ESR_ELx.EC) the model produces. */
#define VMSA_EC_UNKNOWN 0x00u
#define VMSA_EC_FP 0x07u
#define VMSA_EC_SVC32 0x11u
#define VMSA_EC_HVC32 0x12u
#define VMSA_EC_SMC32 0x13u
#define VMSA_EC_SVC64 0x15u
#define VMSA_EC_HVC64 0x16u
#define VMSA_EC_SMC64 0x17u
#define VMSA_EC_SYSREG 0x18u    /* trapped MSR, MRS */
#define VMSA_EC_ERET 0x1au      /* trapped ERET */
#define VMSA_EC_IABT_LOW 0x20u
#define VMSA_EC_IABT_CUR 0x21u
#define VMSA_EC_DABT_LOW 0x24u
#define VMSA_EC_DABT_CUR 0x25u

/* ESR_ELx fields. */
#define VMSA_ESR_EC(esr) ((unsigned)((esr) >> 26) & 0x3fu)
#define VMSA_ESR_IL (1ull << 25)
#define VMSA_ESR_ISS(esr) ((uint32_t)(esr) & 0x1ffffffu)
/* Data/Instruction Abort ISS fields. */
#define VMSA_ESR_ISV (1ull << 24)
#define VMSA_ESR_SAS_SHIFT 22
#define VMSA_ESR_SSE (1ull << 21)
#define VMSA_ESR_SRT_SHIFT 16
#define VMSA_ESR_SF (1ull << 15)
#define VMSA_ESR_AR (1ull << 14)
#define VMSA_ESR_FNV (1ull << 10)
#define VMSA_ESR_EA (1ull << 9)
#define VMSA_ESR_CM (1ull << 8)
#define VMSA_ESR_S1PTW (1ull << 7)
#define VMSA_ESR_WNR (1ull << 6)
#define VMSA_ESR_FSC(esr) ((unsigned)(esr) & 0x3fu)
/* MSR/MRS trap ISS (EC 0x18): the register's encoding, Rt, Direction
 * (1: MRS, a read). */
#define VMSA_ESR_SYS_OP0_SHIFT 20
#define VMSA_ESR_SYS_OP2_SHIFT 17
#define VMSA_ESR_SYS_OP1_SHIFT 14
#define VMSA_ESR_SYS_CRN_SHIFT 10
#define VMSA_ESR_SYS_RT_SHIFT 5
#define VMSA_ESR_SYS_CRM_SHIFT 1
#define VMSA_ESR_SYS_READ (1ull << 0)
/* FP trap ISS (EC 0x07): condition code valid, condition. */
#define VMSA_ESR_CV (1ull << 24)
#define VMSA_ESR_COND_SHIFT 20
/* HVC/SVC ISS (EC 0x11, 0x12, 0x15, 0x16) and AArch64 SMC ISS (EC 0x17):
 * the instruction's immediate. */
#define VMSA_ESR_IMM16(esr) ((unsigned)(esr) & 0xffffu)

/*
 * One exception. ESR/FAR/HPFAR are what the target EL's registers receive
 * (ESR_EL1/FAR_EL1 for EL1, ESR_EL2/FAR_EL2/HPFAR_EL2 for EL2). A value
 * the manual makes UNKNOWN is marked not valid and left 0.
 */
typedef struct vmsa_exception {
	vmsa_exc_type_t type;
	unsigned from_el;       /* EL the exception is taken from */
	unsigned to_el;         /* EL it is taken to: 1 or 2 */
	bool to_aarch32;        /* taken to an EL using AArch32 (EL1 of a
				   32-bit guest): that EL has no ESR_ELx;
				   esr is what an AArch64 EL would get */
	bool from_aarch32;      /* the faulting code ran in AArch32 */
	unsigned ec;            /* ESR_ELx.EC */
	uint32_t iss;           /* ESR_ELx.ISS, bits [24:0] */
	uint64_t esr;           /* the full ESR_ELx value */
	uint64_t far;           /* FAR_ELx, when far_valid */
	bool far_valid;
	uint64_t hpfar;         /* HPFAR_EL2, when hpfar_valid */
	bool hpfar_valid;
	bool is_mmu_fault;      /* an abort from the MMU: `fault` says which */
	vmsa_fault_t fault;
	const char *cause;      /* static, for traces: the control that
				   trapped ("CPTR_EL2.TFP", ...), or NULL */
	/* A trapped MSR/MRS (VMSA_EXC_SYSREG_TRAP): the name accessed, MRS
	 * or MSR, and the value an MSR writes (the model has no general
	 * registers: the handler that emulates the MSR gets it here). */
	enum vmsa_sysreg sysreg;
	bool sysreg_read;
	uint64_t sysreg_value;
	/* A trapped ERET (VMSA_EXC_ERET_TRAP): the EL it returns to. */
	unsigned eret_el;
	vmsa_irq_t irq;         /* type VMSA_EXC_IRQ: which interrupt (ESR,
				   FAR and HPFAR are not written: esr 0) */
} vmsa_exception_t;

/* One line for traces, snprintf-like (returns the length wanted, never
 * negative): "data abort EL1->EL1 ESR
 * 0x96000047 FAR 0x1000 (translation fault, stage 1, level 3)". */
int vmsa_exception_format(char *buf, size_t size,
			  const struct vmsa_exception *e);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
