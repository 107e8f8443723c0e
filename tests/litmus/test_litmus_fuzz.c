/*
 * tests/litmus/test_litmus_fuzz.c - a fuzz target for the litmus front
 * end (LLVMFuzzerTestOneInput: libFuzzer's entry point, so that
 * `clang -fsanitize=fuzzer` can drive it), and a plain driver that feeds
 * it a bounded number of mutations of seed tests (the ones below and,
 * when it is there, a few of ../shared/litmus) with a fixed seed. make
 * check runs the driver twice: plain and under ASan+UBSan. Whatever the
 * input, the parser returns an error or a test, and a test runs to a
 * result (with a small execution bound): never a crash, a leak or
 * undefined behaviour. `make fuzz` builds this file with
 * -DVMSA_LIBFUZZER (the entry point alone, no driver) under libFuzzer
 * (docs/litmus.md, "Fuzzing the front end").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xorshift.h"
#include "vmsa/litmus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	vmsa_litmus_t *t = NULL;
	char err[512];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	err[0] = 0;
	if (!vmsa_litmus_parse("fuzz.litmus", text, &t, err, sizeof(err))) {
		vmsa_litmus_opts_t o = vmsa_litmus_defaults();
		vmsa_litmus_result_t r;

		o.max_executions = 50;
		vmsa_litmus_run(t, &o, &r);
		vmsa_litmus_result_free(&r);
		vmsa_litmus_free(t);
	} else if (!err[0] || strncmp(err, "fuzz.litmus:", 12)) {
		/* Every parse error names the file (and its line). */
		abort();
	}
	free(text);
	return 0;
}

#ifndef VMSA_LIBFUZZER
static const char *const seeds[] = {
	"AArch64 MP\n{ int x=0; [PTE(y)]=(oa:PA(y), db:0, dbm:1);\n"
	" pteval_t 0:X5=(oa:PA(y), valid:0); 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y;"
	" 0:X6=pte_x; }\n"
	" P0          | P1          | P1.F           ;\n"
	" MOV W0,#1   | LDR W2,[X3] | ADR X9,L1      ;\n"
	" STR W0,[X1] |L0:          | MSR ELR_EL1,X9 ;\n"
	" DMB ST      | LDR W4,[X1] | ERET           ;\n"
	" STR X5,[X6] |L1: NOP      |                ;\n"
	" DSB ISH     | CBZ W4,L1   |                ;\n"
	" LSR X7,X1,#12 | CSEL X0,X1,X2,NE |         ;\n"
	" TLBI VAAE1IS,X7 | ADD X8,X1,W2,SXTW |      ;\n"
	"locations [0:X0; pte_x;]\n"
	"exists (1:X2=1 /\\ (1:X4=0 \\/ ~fault(P1:L0,x,MMU:Permission)) /\\ "
	"pte_y=(oa:PA(y), dbm:1))\n",
	"AArch64 F\nVariant=imprecise\nEL0=P0\n"
	"{ [PTE(x)]=(oa:PA(x), valid:0, attrs:(Device-GRE)); 0:X1=x; int *p=&x;"
	" }\n P0 ;\nL0: LDR W0,[X1] ;\n CAS W0,W2,[X1] ;\n"
	"forall (fault(P0:L0,x) /\\ [x]=0 /\\ 0:X0<>1)\n",
};

static uint64_t rng = 0x2545f4914f6cdd1dull;

static unsigned rnd(unsigned n)
{
	uint64_t x = xorshift64(&rng);

	return n ? (unsigned)(x % n) : 0;
}

/* Mutate buf (len bytes, room for cap) in place; the new length. */
static size_t mutate(char *buf, size_t len, size_t cap)
{
	static const char bytes[] = "(){}[];:|,=#/\\~\n 0123456789XWLPxyz_-";
	unsigned k = 1 + rnd(4);

	for (unsigned i = 0; i < k; i++) {
		size_t at = len ? rnd((unsigned)len) : 0;

		switch (rnd(5)) {
		case 0: /* replace a byte */
			if (len)
				buf[at] = bytes[rnd(sizeof(bytes) - 1)];
			break;
		case 1: /* insert a byte */
			if (len + 1 < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = bytes[rnd(sizeof(bytes) - 1)];
				len++;
			}
			break;
		case 2: { /* delete a range */
			size_t n = rnd(16);

			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		case 3: /* truncate */
			len = at;
			break;
		default: { /* duplicate a range */
			size_t n = rnd(32);

			if (at + n > len)
				n = len - at;
			if (len + n < cap) {
				memmove(buf + at + n, buf + at, len - at);
				len += n;
			}
			break;
		}
		}
	}
	return len;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > 65536 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1))) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

#define ITERATIONS 1500

TEST(litmus_fuzz_mutations)
{
	static const char *const files[] = {
		"../shared/litmus/aarch64-VMSA/CASAL+FAIL+FH.litmus",
		"../shared/litmus/aarch64-VMSA/Marc02.litmus",
		"../shared/litmus/aarch64-VMSA/D15347-M-load-shoot+DMB.LD.litmus",
		"../shared/litmus/aarch64-ETS2/ETS2.SB+dsb.sy+dmb.syptev1p.litmus",
		"tests/litmus/data/fault.litmus",
	};
	char *corpus[8];
	size_t lens[8];
	unsigned n = 0;
	char buf[8192];

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		corpus[n] = strdup(seeds[i]);
		lens[n] = strlen(seeds[i]);
		n += corpus[n] != NULL;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if ((corpus[n] = read_file(files[i], &lens[n])))
			n++;
	CHECK(n >= 2);
	/* Each seed as it is, then mutations. */
	for (unsigned i = 0; i < n; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)corpus[i], lens[i]);
	for (unsigned it = 0; it < ITERATIONS; it++) {
		unsigned s = rnd(n);
		size_t len = lens[s] < sizeof(buf) ? lens[s] : sizeof(buf) - 1;

		memcpy(buf, corpus[s], len);
		len = mutate(buf, len, sizeof(buf) - 1);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	}
	CHECK(true); /* reaching here without a crash is the test */
	for (unsigned i = 0; i < n; i++)
		free(corpus[i]);
}
#endif /* VMSA_LIBFUZZER */
