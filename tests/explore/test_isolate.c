/*
 * Isolated searches (opts.isolate) and expectations: a search in a child
 * process gives the same result as in process, down to the decision
 * string and the violation's entries; a crash of scenario code is the
 * verdict "crashed" with the signal, the CPU, the execution and the
 * decisions so far; an expectation is "safe" or a violation kind. A
 * result record is complete only when every byte of it was read (a
 * worker that runs unit after unit ends none with an end of file).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "explore/expect.h"
#include "explore/isolate.h"
#include "vmsa/explore.h"

TEST(isolate_same_result)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("size/split");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t in, out;

	CHECK_EQ(vmsa_explore(s, "bbm2", &o, &in), 0);
	o.isolate = true;
	CHECK_EQ(vmsa_explore(s, "bbm2", &o, &out), 0);
	CHECK_STR(out.verdict, in.verdict);
	CHECK_STR(out.decisions, in.decisions);
	CHECK_STR(out.error, in.error);
	CHECK_EQ(out.violated, in.violated);
	CHECK_EQ(out.complete, in.complete);
	CHECK_EQ(out.stats.executions, in.stats.executions);
	CHECK_EQ(out.violation.kind, in.violation.kind);
	CHECK_EQ(out.violation.step, in.violation.step);
	CHECK_STR(out.violation.message, in.violation.message);
	CHECK_STR(out.violation.rule, in.violation.rule);
	CHECK_EQ(out.violation.n_entries, in.violation.n_entries);
	/* Field by field: padding bytes may differ. */
	for (unsigned i = 0; i < in.violation.n_entries &&
			     i < out.violation.n_entries; i++) {
		const vmsa_violation_entry_t *a = &in.violation.entries[i];
		const vmsa_violation_entry_t *b = &out.violation.entries[i];

		CHECK_EQ(b->cpu, a->cpu);
		CHECK_EQ(b->desc, a->desc);
		CHECK_EQ(b->loc, a->loc);
		CHECK_EQ(b->tag.ia, a->tag.ia);
		CHECK_EQ(b->tag.level, a->tag.level);
	}
	vmsa_explore_result_free(&in);
	vmsa_explore_result_free(&out);
}

TEST(isolate_errors_pass_through)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/ok");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	o.isolate = true;
	CHECK_EQ(vmsa_explore(s, "bbm9", &o, &res), -EINVAL);
	CHECK(strstr(res.error, "configuration 'bbm9'") == res.error);
	CHECK(res.verdict == NULL);
	vmsa_explore_result_free(&res);
}

static void one_dsb(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_dsb(vmsa_run_machine(r), cpu, VMSA_BAR_ISH);
}

/* CPU1 dies of SIGABRT after its first step. raise(), not abort():
 * ASan warns about a noreturn call on a coroutine stack, and the signal
 * is the same. */
static void abort_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	one_dsb(r, cpu);
	raise(SIGABRT);
}

static const vmsa_scenario_t aborting = {
	.name = "test/abort",
	.doc = "CPU1 calls abort()",
	.cpu = {one_dsb, abort_cpu},
	.configs = {{.name = "default", .expect = "safe"}},
};

TEST(isolate_crash)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	char want[640];

	o.isolate = true;
	CHECK_EQ(vmsa_explore(&aborting, "default", &o, &res), -EFAULT);
	CHECK_STR(res.verdict, "crashed");
	CHECK(!res.violated);
	CHECK(res.decisions != NULL);
	snprintf(want, sizeof(want), "scenario code crashed with SIGABRT "
		 "(signal %d: %s) on CPU1 in execution 1, after decisions %s "
		 "(a replay runs into it)", SIGABRT, strsignal(SIGABRT),
		 res.decisions ? res.decisions : "?");
	CHECK_STR(res.error, want);
	CHECK_EQ(res.stats.executions, 1);
	vmsa_explore_result_free(&res);
}

/* iso_result_complete(): false for every cut-short result record (its
 * decision string and violation entries included), true for the whole
 * one, with or without bytes after it, false for another record kind. */
TEST(isolate_result_record_complete)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/missing-tlbi");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res, back;
	struct inbox in = {0};
	char buf[65536];
	int fds[2];
	ssize_t n;

	CHECK_EQ(vmsa_explore(s, "bbm0", &o, &res), 0);
	CHECK(res.violated && res.decisions && res.violation.n_entries > 0);
	CHECK_EQ(pipe(fds), 0);
	iso_send_result(fds[1], 0, &res);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf));
	close(fds[0]);
	CHECK(n > (ssize_t)sizeof(res));
	if (n <= (ssize_t)sizeof(res) || (size_t)n + 3 > sizeof(buf)) {
		CHECK_MSG(false, "a record of %zd bytes", n);
		vmsa_explore_result_free(&res);
		return;
	}
	in.p = buf;
	in.cap = sizeof(buf);
	for (ssize_t len = 0; len < n; len++) {
		in.n = (size_t)len;
		CHECK_MSG(!iso_result_complete(&in, 0), "complete at %zd of %zd",
			  len, n);
	}
	in.n = (size_t)n;
	CHECK(iso_result_complete(&in, 0));
	buf[n] = 'x';
	in.n = (size_t)n + 1;
	CHECK(iso_result_complete(&in, 0));
	/* From an offset, as after an outcomes record. */
	memmove(buf + 3, buf, (size_t)n);
	in.n = (size_t)n + 3;
	CHECK(iso_result_complete(&in, 3));
	CHECK(!iso_result_complete(&in, 2));
	/* What it walks is what iso_take_result() takes. */
	in.at = 4;
	CHECK_EQ(iso_take_result(&in, &back), 0);
	CHECK_EQ(in.at, (size_t)n + 3);
	CHECK_STR(back.decisions, res.decisions);
	CHECK_EQ(back.violation.n_entries, res.violation.n_entries);
	vmsa_explore_result_free(&back);
	vmsa_explore_result_free(&res);
}

TEST(expect_names)
{
	char list[512];

	CHECK(expect_valid("safe"));
	CHECK(expect_valid("bbm"));
	CHECK(expect_valid("conflict-abort-unhandled"));
	CHECK(expect_valid("bad-call"));
	CHECK(!expect_valid("sfae"));
	CHECK(!expect_valid("none"));
	CHECK(!expect_valid("?"));
	CHECK(!expect_valid("crashed"));
	CHECK(!expect_valid("nondeterministic"));
	expect_list(list, sizeof(list));
	CHECK(strncmp(list, "safe, bbm, conflict-abort-unhandled, ", 37) == 0);
	/* Every kind the model names is in the list, the last one last. */
	CHECK(strstr(list, ", model-limit, bad-call, recursive-exception") != NULL);
}
