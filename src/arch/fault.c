/*
 * src/arch/fault.c - names and fault status codes of MMU faults.
 *
 * The FSC values are those of ESR_ELx.{DFSC,IFSC} (and PAR_EL1.FST) for
 * the fault kinds the walk reports, Arm ARM (DDI 0487) D24.2 (ESR_EL2,
 * ISS encoding for an exception from a Data Abort). Level -1 codes exist
 * with FEAT_LPA2 only.
 */
#include "vmsa/arch.h"

/* Returned for a kind/level pair that has no encoding (e.g. a Permission
 * fault at level -1, where only table descriptors exist). Not a 6-bit
 * value, so it cannot be mistaken for a real code. */
#define FSC_NONE 0xffu

#define FSC_TLB_CONFLICT 0x30u	/* 0b110000, IJYDXJ */
#define FSC_TAG_CHECK 0x11u	/* 0b010001: synchronous Tag Check Fault
				   (ESR_EL1 DFSC, D24.2.45) */
#define FSC_EXTERNAL 0x10u	/* 0b010000: synchronous External abort, not
				   on a translation table walk */

const char *vmsa_regime_name(vmsa_regime_t r)
{
	switch (r) {
	case VMSA_REGIME_EL10:
		return "EL1&0";
	case VMSA_REGIME_EL20:
		return "EL2&0";
	case VMSA_REGIME_EL2:
		return "EL2";
	}
	return "?";
}

const char *vmsa_fault_kind_name(vmsa_fault_kind_t k)
{
	switch (k) {
	case VMSA_FAULT_NONE:
		return "none";
	case VMSA_FAULT_ADDRESS_SIZE:
		return "address size";
	case VMSA_FAULT_TRANSLATION:
		return "translation";
	case VMSA_FAULT_ACCESS_FLAG:
		return "access flag";
	case VMSA_FAULT_PERMISSION:
		return "permission";
	case VMSA_FAULT_EXTERNAL:
		return "external abort";
	case VMSA_FAULT_TLB_CONFLICT:
		return "TLB conflict";
	case VMSA_FAULT_EXTERNAL_ACCESS:
		return "external abort on access";
	case VMSA_FAULT_TAG_CHECK:
		return "tag check";
	}
	return "?";
}

/*
 * Levels 0-3 share one pattern per kind, 0bKKKKLL:
 *   address size 0b0000LL, translation 0b0001LL, access flag 0b0010LL,
 *   permission 0b0011LL, synchronous External abort on a walk 0b0101LL.
 * Level -1 has its own codes: address size 0b101001, translation
 * 0b101011, External abort on a walk 0b010011. The TLB conflict abort
 * and the External abort on the access itself have no level.
 */
unsigned vmsa_fault_fsc(vmsa_fault_kind_t kind, int level)
{
	static const unsigned base[] = {
		[VMSA_FAULT_ADDRESS_SIZE] = 0x00,
		[VMSA_FAULT_TRANSLATION] = 0x04,
		[VMSA_FAULT_ACCESS_FLAG] = 0x08,
		[VMSA_FAULT_PERMISSION] = 0x0c,
		[VMSA_FAULT_EXTERNAL] = 0x14,
	};

	switch (kind) {
	case VMSA_FAULT_NONE:
		return 0;
	case VMSA_FAULT_TLB_CONFLICT:
		return FSC_TLB_CONFLICT;
	case VMSA_FAULT_EXTERNAL_ACCESS:
		return FSC_EXTERNAL;
	case VMSA_FAULT_TAG_CHECK:
		return FSC_TAG_CHECK;
	case VMSA_FAULT_ADDRESS_SIZE:
	case VMSA_FAULT_TRANSLATION:
	case VMSA_FAULT_ACCESS_FLAG:
	case VMSA_FAULT_PERMISSION:
	case VMSA_FAULT_EXTERNAL:
		break;
	default:
		return FSC_NONE;
	}

	if (level >= 0 && level <= 3)
		return base[kind] + (unsigned)level;
	if (level != -1)
		return FSC_NONE;
	switch (kind) {
	case VMSA_FAULT_ADDRESS_SIZE:
		return 0x29;
	case VMSA_FAULT_TRANSLATION:
		return 0x2b;
	case VMSA_FAULT_EXTERNAL:
		return 0x13;
	default:
		return FSC_NONE;
	}
}
