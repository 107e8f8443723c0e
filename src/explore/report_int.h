/*
 * src/explore/report_int.h - what the report files of src/explore/
 * share: colours and the text of a held TLB entry. Private.
 */
#ifndef VMSA_EXPLORE_REPORT_INT_H
#define VMSA_EXPLORE_REPORT_INT_H

#include "report.h"
#include "strbuf.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

/*
 * Append to b one line for a TLB entry a CPU may hold: what it
 * translates (regime, VA or IPA, size, ASID/VMID), the descriptor it was
 * made from and where that descriptor was (report_entry.c).
 */
void report_format_entry(struct sb *b, const vmsa_violation_entry_t *e);

/* Where a violation happened, for a report's text: "on CPU1", or, for
 * one with no CPU (VMSA_SETUP: a scenario's final check, the only code
 * that runs outside the CPUs once they started), "in the final check". */
void report_violation_where(char *buf, size_t size,
			    const vmsa_violation_t *v);

#endif
