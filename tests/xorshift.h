/*
 * tests/xorshift.h - the tests' pseudo-random numbers: Marsaglia's
 * xorshift64 (13, 7, 17) on a state of the caller's, so each test keeps
 * its own fixed sequence (a failure repeats run after run) and two tests
 * never share one.
 */
#ifndef VMSA_TESTS_XORSHIFT_H
#define VMSA_TESTS_XORSHIFT_H

#include <stdint.h>

/* The next number of *state (which must not be 0). */
static inline uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif
