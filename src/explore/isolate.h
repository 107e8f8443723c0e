/*
 * src/explore/isolate.h - the pieces of a search in a child process
 * (isolate.c) that parallel.c's workers share: the crash handler, the
 * result record, and the parent's side that reads them back. Private.
 *
 * A child writes records into a pipe: REC_RESULT (its status and
 * result), or, when it crashes, REC_CRASH from its signal handler.
 * parallel.c adds its own records before either (parallel.h).
 */
#ifndef VMSA_EXPLORE_ISOLATE_H
#define VMSA_EXPLORE_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/explore.h"

enum { REC_RESULT = 'R', REC_CRASH = 'C' };

/* Write all of p to fd; false on error. Async-signal-safe. */
bool iso_write_all(int fd, const void *p, size_t n);

/* In the child: report a crash (signal) of this process into fd. */
void iso_catch_crashes(int fd);

/* In the child: the result record of status rc and *res. */
void iso_send_result(int fd, int32_t rc, const vmsa_explore_result_t *res);

/* Everything a child wrote, as read so far (at: what has been taken). */
struct inbox {
	char *p;
	size_t n, cap, at;
};

/* Take n bytes from the inbox into p; false when there are not that many. */
bool iso_take(struct inbox *in, void *p, size_t n);

/* Is all of a result record (its kind byte included) at in->p[at]
 * read? A worker that goes on to another unit (parallel.c) ends none
 * of its units with an end of file. */
bool iso_result_complete(const struct inbox *in, size_t at);

/* Rebuild the child's result from the bytes after REC_RESULT. Returns
 * its status, or -EIO when the record is cut short. */
int iso_take_result(struct inbox *in, vmsa_explore_result_t *res);

/* The child died (signal sig, or exit status `status` when sig is 0)
 * with the rest of the inbox its crash record, if any: the verdict
 * "crashed" into *res, executions numbered after `base` earlier ones
 * (a subtree's, parallel.c). Returns -EFAULT. */
int iso_crashed(struct inbox *in, int sig, int status, uint64_t base,
	    vmsa_explore_result_t *res);

#endif
