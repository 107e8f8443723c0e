/* bench/linux-shim/asm/stage2_pgtable.h: everything is in kshim.h. */
#ifndef VMSA_BENCH_SHIM_ASM_STAGE2_PGTABLE_H
#define VMSA_BENCH_SHIM_ASM_STAGE2_PGTABLE_H
#include "../kshim.h"
#endif
