/* bench/linux-shim/linux/bitfield.h: everything is in kshim.h. */
#ifndef VMSA_BENCH_SHIM_LINUX_BITFIELD_H
#define VMSA_BENCH_SHIM_LINUX_BITFIELD_H
#include "../kshim.h"
#endif
