/*
 * tests/harness.h - vmsa's own small test harness.
 *
 * TEST(name) { ... } defines a test that registers itself before main()
 * runs. CHECK* macros record a failure with file:line and the values
 * compared, and let the test go on; a test passes when it made at least
 * one check and no check failed (a test that checks nothing proves
 * nothing, so it fails). The runner (tests/harness.c) prints one line per
 * failure and a final "N passed, N failed".
 */
#ifndef VMSA_TEST_HARNESS_H
#define VMSA_TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef void (*vt_fn)(void);

void vt_register(const char *name, const char *file, vt_fn fn);
void vt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Number of checks failed so far in the running test. */
unsigned vt_failures(void);
/* Count one check made (every CHECK* macro calls it, passing or not). */
void vt_checked(void);
/* Number of checks made so far in the running test. */
unsigned vt_checks(void);

#define TEST(name)                                                       \
	static void vt_test_##name(void);                                \
	__attribute__((constructor)) static void vt_reg_##name(void)     \
	{                                                                \
		vt_register(#name, __FILE__, vt_test_##name);            \
	}                                                                \
	static void vt_test_##name(void)

#define CHECK(cond)                                                      \
	do {                                                             \
		vt_checked();                                            \
		if (!(cond))                                             \
			vt_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

/* cond, with a message of the test's own (printf format and arguments)
 * for a failure that needs more context than the condition's text. */
#define CHECK_MSG(cond, ...)                                             \
	do {                                                             \
		vt_checked();                                            \
		if (!(cond))                                             \
			vt_fail(__FILE__, __LINE__, __VA_ARGS__);        \
	} while (0)

/* Integers (any width, signed values shown as their 64-bit pattern). */
#define CHECK_EQ(a, b)                                                   \
	do {                                                             \
		uint64_t vt_a_ = (uint64_t)(a), vt_b_ = (uint64_t)(b);   \
		vt_checked();                                            \
		if (vt_a_ != vt_b_)                                      \
			vt_fail(__FILE__, __LINE__,                      \
				"%s == %s: 0x%llx (%lld) != 0x%llx (%lld)", \
				#a, #b, (unsigned long long)vt_a_,       \
				(long long)vt_a_,                        \
				(unsigned long long)vt_b_,               \
				(long long)vt_b_);                       \
	} while (0)

#define CHECK_NE(a, b)                                                   \
	do {                                                             \
		uint64_t vt_a_ = (uint64_t)(a), vt_b_ = (uint64_t)(b);   \
		vt_checked();                                            \
		if (vt_a_ == vt_b_)                                      \
			vt_fail(__FILE__, __LINE__,                      \
				"%s != %s: both 0x%llx", #a, #b,         \
				(unsigned long long)vt_a_);              \
	} while (0)

#define CHECK_STR(a, b)                                                  \
	do {                                                             \
		const char *vt_a_ = (a), *vt_b_ = (b);                   \
		vt_checked();                                            \
		if (!vt_a_ || !vt_b_ || strcmp(vt_a_, vt_b_) != 0)       \
			vt_fail(__FILE__, __LINE__,                      \
				"%s == %s: \"%s\" != \"%s\"", #a, #b,    \
				vt_a_ ? vt_a_ : "(null)",                \
				vt_b_ ? vt_b_ : "(null)");               \
	} while (0)

#endif
