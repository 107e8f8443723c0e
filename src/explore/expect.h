/*
 * src/explore/expect.h - what a configuration's .expect may name: "safe"
 * or a violation kind. Private to libvmsa (the command checks the
 * expectations it is about to compare with, so that a typo is a usage
 * error rather than a configuration that can never be as expected).
 */
#ifndef VMSA_EXPLORE_EXPECT_H
#define VMSA_EXPLORE_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

/* The verdicts of a search that could not decide, one spelling each:
 * set by search.c, isolate.c and report_cmd.c, read by the table and by
 * vmsa merge; never valid as an expectation. */
#define VERDICT_NONDETERMINISTIC "nondeterministic"
#define VERDICT_CRASHED "crashed"
#define VERDICT_ERROR "error"

/* Is `expect` a verdict a search can end with? */
bool expect_valid(const char *expect);

/* "safe, bbm, ..., bad-call": every valid expectation, into buf (cut
 * short when buf is too small). */
void expect_list(char *buf, size_t size);

/* The length of the longest verdict a search can end with: every valid
 * expectation, and those of a search that could not decide, which no
 * expectation may name ("nondeterministic", "crashed", "error"). The
 * text table sizes its verdict column with it. */
size_t expect_verdict_width(void);

#endif
