/*
 * src/explore/isolate.c - a search in a child process (opts.isolate), so
 * that a crash of scenario code (SIGSEGV, abort(), a stack overflow into
 * a coroutine's guard page, exit()) ends that search with the verdict
 * "crashed" instead of killing the caller and every result after it.
 *
 * The child runs the ordinary search and writes its result into a pipe.
 * When it crashes, a signal handler on its own stack writes the signal,
 * the CPU and the decisions of the execution so far (async-signal-safe:
 * write(2) only, no allocation, no stdio), then dies of the same signal.
 * The parent reads everything up to end of file, then reaps the child:
 * a result if the child exited cleanly, else "crashed".
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expect.h"
#include "explore_int.h"

/* The CPU of a crash record made in an outcomes search's callback. */
#define CRASH_OUTCOME (-2)
#include "isolate.h"

/* The signals a crash of host code raises. */
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE,
				    SIGABRT, SIGTRAP, SIGSYS};

#define ALT_STACK_SIZE (64u << 10)

/* What the crash handler reports: where the child writes. */
static int crash_fd = -1;

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

bool iso_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		c += k;
		n -= (size_t)k;
	}
	return true;
}

/* Append decision c's characters to buf at *len (room for 16 more).
 * Async-signal-safe: the same characters as decisions_encode(). */
static void put_decision(char *buf, size_t *len, unsigned c)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char tmp[12];
	int k = 0;

	if (c < sizeof(digits) - 1) {
		buf[(*len)++] = digits[c];
		return;
	}
	do
		tmp[k++] = (char)('0' + c % 10);
	while ((c /= 10) && k < (int)sizeof(tmp));
	buf[(*len)++] = '(';
	while (k)
		buf[(*len)++] = tmp[--k];
	buf[(*len)++] = ')';
}

/* The crash record: signal, CPU (-1: the main context, CRASH_OUTCOME: an
 * outcomes search's callback), execution, then the current execution's
 * decision string (its check, and the decisions up to now). The string
 * is sent in pieces through a fixed buffer: no allocation here. */
static void send_crash(int sig)
{
	const struct explorer *x = explore_running;
	int32_t head[2] = {sig, !x ? -1 : x->in_outcome ? CRASH_OUTCOME :
			   x->cur};
	uint64_t execs = x ? x->executions : 0;
	unsigned n = x ? x->pos : 0;
	char buf[512], kind = REC_CRASH;
	size_t len = 0;

	while (n > 0 && x->dec.p[n - 1].chosen == 0)
		n--;
	iso_write_all(crash_fd, &kind, 1);
	iso_write_all(crash_fd, head, sizeof(head));
	iso_write_all(crash_fd, &execs, sizeof(execs));
	if (!x)
		return;
	for (int i = 3; i >= 0; i--)
		buf[len++] = "0123456789abcdef"[(x->check >> (4 * i)) & 0xf];
	buf[len++] = ':';
	for (unsigned i = 0; i < n; i++) {
		if (len + 16 > sizeof(buf)) {
			iso_write_all(crash_fd, buf, len);
			len = 0;
		}
		put_decision(buf, &len, x->dec.p[i].chosen);
	}
	iso_write_all(crash_fd, buf, len);
}

static void on_crash(int sig)
{
	send_crash(sig);
	/* Die of the same signal, so that the parent sees which. */
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* Catch crashes on a stack of their own: a stack overflow leaves no room
 * on the stack that overflowed. */
void iso_catch_crashes(int fd)
{
	static char alt[ALT_STACK_SIZE];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
	struct sigaction sa;

	crash_fd = fd;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]);
	     i++)
		sigaction(crash_signals[i], &sa, NULL);
}

/* A copy of entry e with its padding bytes zero: the pipe carries whole
 * structs, and the padding of one built field by field was never written
 * (valgrind rightly reports writing it out). */
static void clean_entry(vmsa_violation_entry_t *c,
			const vmsa_violation_entry_t *e)
{
	memset(c, 0, sizeof(*c));
	c->cpu = e->cpu;
	c->desc = e->desc;
	c->loc = e->loc;
	c->tag.regime = e->tag.regime;
	c->tag.vmid = e->tag.vmid;
	c->tag.asid = e->tag.asid;
	c->tag.global = e->tag.global;
	c->tag.stage = e->tag.stage;
	c->tag.leaf = e->tag.leaf;
	c->tag.level = e->tag.level;
	c->tag.granule = e->tag.granule;
	c->tag.ia = e->tag.ia;
	c->tag.size = e->tag.size;
}

/* The result record: status, the result itself, then what its pointers
 * point to (the decision string, the violation's entries). verdict and
 * rule point to static strings of the library, at the same addresses in
 * the parent (a fork of the same image). */
void iso_send_result(int fd, int32_t rc, const vmsa_explore_result_t *res)
{
	uint32_t len = res->decisions ? (uint32_t)strlen(res->decisions) : 0;
	uint32_t n = res->violation.entries ? res->violation.n_entries : 0;
	char kind = REC_RESULT;

	iso_write_all(fd, &kind, 1);
	iso_write_all(fd, &rc, sizeof(rc));
	iso_write_all(fd, res, sizeof(*res));
	iso_write_all(fd, &len, sizeof(len));
	iso_write_all(fd, res->decisions ? res->decisions : "", len);
	iso_write_all(fd, &n, sizeof(n));
	for (uint32_t i = 0; i < n; i++) {
		vmsa_violation_entry_t e;

		clean_entry(&e, &res->violation.entries[i]);
		iso_write_all(fd, &e, sizeof(e));
	}
}

static void child(int fd, const vmsa_scenario_t *s, const char *config,
		  const vmsa_explore_opts_t *o)
{
	vmsa_explore_opts_t co = *o;
	vmsa_explore_result_t res;
	int rc;

	co.isolate = false;
	iso_catch_crashes(fd);
	rc = vmsa_explore(s, config, &co, &res);
	iso_send_result(fd, rc, &res);
	/* Whatever scenario code printed; the parent flushed its own. */
	fflush(NULL);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

static int read_all(int fd, struct inbox *in)
{
	for (;;) {
		ssize_t k;

		if (in->n == in->cap) {
			size_t cap = in->cap ? 2 * in->cap : 4096;
			char *p = realloc(in->p, cap);

			if (!p)
				return -ENOMEM;
			in->p = p;
			in->cap = cap;
		}
		k = read(fd, in->p + in->n, in->cap - in->n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return 0;
		in->n += (size_t)k;
	}
}

bool iso_take(struct inbox *in, void *p, size_t n)
{
	if (in->n - in->at < n)
		return false;
	memcpy(p, in->p + in->at, n);
	in->at += n;
	return true;
}

/* A malloc'd copy of the next n bytes as a string (NULL when short). */
static char *take_string(struct inbox *in, size_t n)
{
	char *s;

	if (in->n - in->at < n || !(s = malloc(n + 1)))
		return NULL;
	iso_take(in, s, n);
	s[n] = 0;
	return s;
}

/* The uint32 at in->p[*at], when read: into *v, *at past it. */
static bool peek_u32(const struct inbox *in, size_t *at, uint32_t *v)
{
	if (in->n < *at || in->n - *at < sizeof(*v))
		return false;
	memcpy(v, in->p + *at, sizeof(*v));
	*at += sizeof(*v);
	return true;
}

/* Walks iso_send_result()'s layout without taking anything. */
bool iso_result_complete(const struct inbox *in, size_t at)
{
	size_t head = 1 + sizeof(int32_t) + sizeof(vmsa_explore_result_t);
	uint32_t len, n;

	if (in->n <= at || in->p[at] != REC_RESULT || in->n - at < head)
		return false;
	at += head;
	if (!peek_u32(in, &at, &len) || in->n - at < len)
		return false;
	at += len;
	return peek_u32(in, &at, &n) &&
	       (in->n - at) / sizeof(vmsa_violation_entry_t) >= n;
}

int iso_take_result(struct inbox *in, vmsa_explore_result_t *res)
{
	int32_t rc;
	uint32_t len, n;
	vmsa_violation_entry_t *e = NULL;

	if (!iso_take(in, &rc, sizeof(rc)) || !iso_take(in, res, sizeof(*res)))
		return -EIO;
	res->decisions = NULL;
	res->violation.entries = NULL;
	if (!iso_take(in, &len, sizeof(len)))
		return -EIO;
	if (len)
		res->decisions = take_string(in, len);
	if (!iso_take(in, &n, sizeof(n)))
		return -EIO;
	if (n && (e = malloc(n * sizeof(*e))) && iso_take(in, e, n * sizeof(*e)))
		res->violation.entries = e;
	else
		free(e);
	res->violation.n_entries = res->violation.entries ? n : 0;
	return rc;
}

/* "SIGSEGV" and its like, for messages. */
static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGABRT: return "SIGABRT";
	case SIGTRAP: return "SIGTRAP";
	case SIGSYS: return "SIGSYS";
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	}
	return "a signal";
}

/* Where the crash happened, from its record: " on CPU1 in execution 2",
 * " in the scenario's set-up" (before the first execution counts), " in
 * the scenario's check after execution 3", " in the search's outcome
 * callback of execution 3" (the caller's code that takes each
 * execution: the litmus front end's), or "" without a record. */
static void crash_place(char *buf, size_t size, bool rec, int cpu,
			uint64_t execs, uint64_t base)
{
	unsigned long long e = (unsigned long long)(base + execs);

	if (!rec)
		snprintf(buf, size, "%s", "");
	else if (cpu >= 0)
		snprintf(buf, size, " on CPU%d in execution %llu", cpu, e);
	else if (cpu == CRASH_OUTCOME)
		snprintf(buf, size, " in the search's outcome callback of "
			 "execution %llu", e);
	else if (!execs)
		snprintf(buf, size, " in the scenario's set-up");
	else
		snprintf(buf, size, " in the scenario's check after execution "
			 "%llu", e);
}

int iso_crashed(struct inbox *in, int sig, int status, uint64_t base,
	    vmsa_explore_result_t *res)
{
	int32_t head[2] = {sig, -1};
	uint64_t execs = 0;
	char kind = 0, where[80];
	bool rec = iso_take(in, &kind, 1) && kind == REC_CRASH &&
		   iso_take(in, head, sizeof(head)) && iso_take(in, &execs, sizeof(execs));

	memset(res, 0, sizeof(*res));
	res->verdict = VERDICT_CRASHED;
	if (rec) {
		res->decisions = take_string(in, in->n - in->at);
		res->stats.executions = base + execs;
	}
	crash_place(where, sizeof(where), rec, head[1], execs, base);
	if (sig)
		snprintf(res->error, sizeof(res->error),
			 "%s crashed with %s (signal %d: %s)%s%s%s%s",
			 rec && head[1] == CRASH_OUTCOME ? "the search's caller" :
			 "scenario code", signal_name(sig), sig, strsignal(sig),
			 where,
			 res->decisions ? ", after decisions " : "",
			 res->decisions ? res->decisions : "",
			 res->decisions ? " (a replay runs into it)" : "");
	else
		snprintf(res->error, sizeof(res->error),
			 "the search process exited with status %d before "
			 "its result (scenario code called exit()?)", status);
	return -EFAULT;
}

/* pipe() or fork() failed: the search cannot be isolated. Returns the
 * negative errno, with res->error saying so. */
static int no_child(vmsa_explore_result_t *res, const char *call)
{
	int e = errno;

	snprintf(res->error, sizeof(res->error), "cannot run the search in a "
		 "child process: %s: %s", call, strerror(e));
	return -e;
}

int explore_isolated(const vmsa_scenario_t *s, const char *config,
		     const vmsa_explore_opts_t *o, vmsa_explore_result_t *res)
{
	struct inbox in = {0};
	int fds[2], status = 0, rc;
	char kind = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	/* Output buffered now would be written twice, once by the child. */
	fflush(NULL);
	if (pipe(fds))
		return no_child(res, "pipe");
	pid = fork();
	if (pid < 0) {
		rc = no_child(res, "fork");
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], s, config, o);
	}
	close(fds[1]);
	rc = read_all(fds[0], &in);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !rc &&
	    iso_take(&in, &kind, 1) && kind == REC_RESULT) {
		rc = iso_take_result(&in, res);
		if (rc == -EIO) {
			vmsa_explore_result_free(res);
			memset(res, 0, sizeof(*res));
			snprintf(res->error, sizeof(res->error),
				 "the search process's result was cut short");
		}
	} else if (rc) {
		snprintf(res->error, sizeof(res->error), "cannot read the "
			 "search process's result: %s", strerror(-rc));
	} else
		rc = iso_crashed(&in, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0,
			     res);
	free(in.p);
	return rc;
}
