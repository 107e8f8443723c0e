/*
 * vmsa/vmsa.h - every public header of vmsa, for programs that would
 * rather not pick: the architecture core (desc.h, arch.h, sysreg.h,
 * exc.h), the machine model (model.h), scenarios and the explorer
 * (scenario.h, explore.h), the ready-made kernel and VM for scenarios
 * (guest.h), the command line (cli.h) and the page-table library
 * (pgtable.h) with its backends (backend.h), herd7 litmus tests on the
 * model (litmus.h).
 *
 *	#include <vmsa/vmsa.h>
 *	cc prog.c $(pkg-config --cflags --libs vmsa)
 */
#ifndef VMSA_VMSA_H
#define VMSA_VMSA_H

#include "vmsa/desc.h"
#include "vmsa/arch.h"
#include "vmsa/sysreg.h"
#include "vmsa/exc.h"
#include "vmsa/model.h"
#include "vmsa/scenario.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"
#include "vmsa/cli.h"
#include "vmsa/pgtable.h"
#include "vmsa/backend.h"
#include "vmsa/hyp.h"
#include "vmsa/litmus.h"

#endif
