/*
 * bench/scaling.c - how the exhaustive search scales, with and without
 * partial-order reduction (docs/explorer.md): scenarios that grow along
 * one axis, each point searched unbounded in a child process of its own
 * (so that its peak RSS is its own) and stopped after a time cap.
 *
 *   remap      CPU0 remaps N kernel pages (N = 1 .. 64), each with the
 *              full break-before-make sequence; CPU1 reads the first
 *              page twice
 *   readers    CPU0 remaps one page; R CPUs (R = 1 .. 4) read it twice,
 *              every CPU in the kernel's regime from set-up (running
 *              when the remap starts)
 *   readers-entering
 *              the same, each CPU entering the regime in its own code
 *              (four MSRs and an ERET, concurrently with the remap):
 *              the orders of the entries against the remap multiply
 *              the executions (R = 1 .. 3)
 *   s2remap    a hypervisor remaps a guest's IPA page N times at stage 2
 *              (IPAS2E1IS; VMALLE1IS), the guest reads it twice
 *   disjoint   two CPUs write and read K words (K = 1 .. 1000) each on
 *              pages of their own: nothing interacts
 *
 * Prints one JSON object: per point the verdict, executions, model
 * steps, seconds, peak RSS (KiB) and whether the cap stopped it. Once a
 * point of an axis hits the cap, the larger points of that axis and mode
 * are skipped. VMSA_BENCH_CAP (seconds, default 10) caps reduced
 * searches; plain ones get a third of it. VMSA_BENCH_AXIS, an axis's
 * name, runs only that axis. A capped point reports the
 * executions and steps its search had made at its last progress report
 * (about once a second): a lower bound.
 *
 * Executions resume from states saved every 4 steps (docs/explorer.md,
 * "Resuming from a decision"; the scenarios keep their state in the run
 * data and the machine); VMSA_BENCH_RESUME=0 replays every execution
 * from set-up, to compare ("resume_every" in the output).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmsa/vmsa.h"

#include "scaling_scen.h"

static unsigned resume_every = 4;	/* VMSA_BENCH_RESUME */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- points --------------------------------------------------------- */

struct axis {
	const char *name;
	const vmsa_scenario_t *s;
	void (*prepare)(void);
	unsigned points[8], n;
};

static const struct axis axes[] = {
	{"remap", &remap, NULL, {1, 2, 4, 8, 16, 32, 64}, 7},
	{"readers", &readers, readers_prepare, {1, 2, 3, 4}, 4},
	{"readers-entering", &readers, readers_entering_prepare, {1, 2, 3}, 3},
	{"s2remap", &s2remap, NULL, {1, 2, 4, 8}, 4},
	{"disjoint", &disjoint, NULL, {1, 4, 16, 64, 256, 1000}, 6},
};

struct outcome {
	int rc;
	char verdict[48];
	bool complete;
	uint64_t executions, steps;
	double seconds;
};

/* The child's progress, in memory shared with the parent. */
static volatile vmsa_explore_stats_t *shared;

static void progress(void *ctx, const vmsa_explore_stats_t *s)
{
	(void)ctx;
	shared->executions = s->executions;
	shared->steps = s->steps;
}

/* Search one point in a child; false when the cap stopped it. */
static bool run_point(const struct axis *a, unsigned n, bool reduce,
		      double cap, struct outcome *out, long *rss_kb)
{
	int fd[2];
	pid_t pid;
	double t0 = now();
	struct rusage ru;
	int st;
	bool capped = false;

	memset(out, 0, sizeof(*out));
	memset((void *)shared, 0, sizeof(*shared));
	*rss_kb = 0;
	if (pipe(fd))
		return false;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		close(fd[0]);
		param = n;
		if (a->prepare)
			a->prepare();
		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = reduce;
		o.resume_every = resume_every;
		o.progress = progress;
		out->rc = vmsa_explore(a->s, "bbm0", &o, &res);
		snprintf(out->verdict, sizeof(out->verdict), "%s",
			 res.verdict ? res.verdict : "error");
		out->complete = res.complete;
		out->executions = res.stats.executions;
		out->steps = res.stats.steps;
		out->seconds = res.stats.seconds;
		if (write(fd[1], out, sizeof(*out)) != (ssize_t)sizeof(*out))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		return false;
	}
	while (wait4(pid, &st, WNOHANG, &ru) == 0) {
		if (now() - t0 > cap) {
			kill(pid, SIGKILL);
			wait4(pid, &st, 0, &ru);
			capped = true;
			break;
		}
		usleep(2000);
	}
	*rss_kb = ru.ru_maxrss;
	if (!capped && read(fd[0], out, sizeof(*out)) != (ssize_t)sizeof(*out))
		snprintf(out->verdict, sizeof(out->verdict), "crashed");
	close(fd[0]);
	if (capped) {
		out->seconds = now() - t0;
		out->executions = shared->executions;
		out->steps = shared->steps;
	}
	return !capped;
}

int main(void)
{
	const char *env = getenv("VMSA_BENCH_CAP");
	const char *only = getenv("VMSA_BENCH_AXIS");
	double cap = env ? atof(env) : 10.0;
	bool first = true;

	if (cap <= 0)
		cap = 10.0;
	if (getenv("VMSA_BENCH_RESUME"))
		resume_every = (unsigned)strtoul(getenv("VMSA_BENCH_RESUME"),
						 NULL, 10);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("bench/scaling: mmap");
		return 1;
	}
	printf("{\"bench\": \"scaling\", \"cap_seconds\": %.1f, "
	       "\"resume_every\": %u, \"points\": [", cap, resume_every);
	for (unsigned ai = 0; ai < sizeof(axes) / sizeof(axes[0]); ai++) {
		for (int reduce = 1; reduce >= 0; reduce--) {
			const struct axis *a = &axes[ai];
			double c = reduce ? cap : cap / 3;

			if (only && strcmp(only, a->name))
				continue;

			for (unsigned i = 0; i < a->n; i++) {
				struct outcome o;
				long rss;
				bool done = run_point(a, a->points[i], reduce,
						      c, &o, &rss);

				printf("%s\n  {\"axis\": \"%s\", \"n\": %u, "
				       "\"reduction\": %s, \"verdict\": \"%s\", "
				       "\"complete\": %s, \"executions\": %llu, "
				       "\"steps\": %llu, \"seconds\": %.3f, "
				       "\"peak_rss_kb\": %ld, \"capped\": %s}",
				       first ? "" : ",", a->name, a->points[i],
				       reduce ? "true" : "false",
				       done ? o.verdict : "capped",
				       o.complete ? "true" : "false",
				       (unsigned long long)o.executions,
				       (unsigned long long)o.steps, o.seconds,
				       rss, done ? "false" : "true");
				fflush(stdout);
				first = false;
				if (!done)
					break;
			}
		}
	}
	printf("\n]}\n");
	return 0;
}
