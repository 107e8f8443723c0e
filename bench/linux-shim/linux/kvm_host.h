/* bench/linux-shim/linux/kvm_host.h: everything is in kshim.h. */
#ifndef VMSA_BENCH_SHIM_LINUX_KVM_HOST_H
#define VMSA_BENCH_SHIM_LINUX_KVM_HOST_H
#include "../kshim.h"
#endif
