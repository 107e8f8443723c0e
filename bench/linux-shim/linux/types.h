/* bench/linux-shim/linux/types.h: everything is in kshim.h. */
#ifndef VMSA_BENCH_SHIM_LINUX_TYPES_H
#define VMSA_BENCH_SHIM_LINUX_TYPES_H
#include "../kshim.h"
#endif
