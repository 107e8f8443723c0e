/*
 * src/arch/bbm_int.h - internals of bbm.c that its tests check.
 */
#ifndef VMSA_ARCH_BBM_INT_H
#define VMSA_ARCH_BBM_INT_H

/* How many (granule, level) pairs of bbm.c's constant table of
 * vmsa_bbm_same_mapping() sides differ from the sides computed with
 * vmsa_level_shift(), vmsa_oa_mask() and vmsa_desc_kind(): 0. */
unsigned bbm_same_sides_check(void);

#endif
