/* bench/linux-shim/linux/bits.h: everything is in kshim.h. */
#ifndef VMSA_BENCH_SHIM_LINUX_BITS_H
#define VMSA_BENCH_SHIM_LINUX_BITS_H
#include "../kshim.h"
#endif
