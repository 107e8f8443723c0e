/*
 * tests/litmus/test_litmus_parse.c - the litmus parser: well-formed
 * tests of every construct the catalogue uses, and malformed inputs
 * with their exact "FILE:LINE: message".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "litmus/litmus_int.h"
#include "vmsa/litmus.h"

static const char mp[] =
	"AArch64 MP\n"
	"Hash=abc\n"
	"Variant=vmsa\n"
	"{\n"
	" int x=0; int y=0;\n"
	" [PTE(x)]=(oa:PA(x), db:0);\n"
	" pteval_t 0:X5=(oa:PA(y), valid:0, af:0, dbm:1, el0:0);\n"
	" 0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y; 0:X6=pte_x;\n"
	"}\n"
	" P0          | P1          | P1.F           ;\n"
	" MOV W0,#1   | LDR W2,[X3] | ADR X9,L1      ;\n"
	" STR W0,[X1] |L0:          | MSR ELR_EL1,X9 ;\n"
	" DMB ST      | LDR W4,[X1] | ERET           ;\n"
	" STR W0,[X3] |L1: NOP      |                ;\n"
	"exists (1:X2=1 /\\ 1:X4=0 \\/ ~fault(P1:L0,x,MMU:Permission))\n";

/* Parse text: the test, or NULL with err. */
static vmsa_litmus_t *parse(const char *text, char *err, size_t n)
{
	vmsa_litmus_t *t = NULL;

	err[0] = 0;
	if (vmsa_litmus_parse("t.litmus", text, &t, err, n))
		return NULL;
	return t;
}

TEST(litmus_parse_mp)
{
	char err[512];
	vmsa_litmus_t *t = parse(mp, err, sizeof(err));

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK_STR(vmsa_litmus_name(t), "MP");
	CHECK_STR(vmsa_litmus_variant(t), "vmsa");
	CHECK_EQ(t->nthreads, 2);
	CHECK(t->has_handler[1]);
	CHECK(!t->has_handler[0]);
	CHECK_EQ(t->code[0].n, 4);
	CHECK_EQ(t->code[1].n, 3);
	CHECK_EQ(t->handler[1].n, 3);
	CHECK_EQ(t->code[1].nlabel, 2);
	CHECK_STR(t->code[1].label[0].name, "L0");
	CHECK_EQ(t->code[1].label[0].insn, 1);
	CHECK_EQ(t->code[1].label[1].insn, 2);
	CHECK_EQ(t->code[0].insn[2].op, OP_DMB);
	CHECK_EQ(t->code[0].insn[2].bar, VMSA_BAR_ST);
	CHECK_EQ(t->handler[1].insn[0].op, OP_ADR);
	CHECK(t->handler[1].insn[0].target_main);
	CHECK_EQ(t->handler[1].insn[0].target, 2);
	CHECK_EQ(t->nsym, 2);
	CHECK_EQ(t->sym[0].pte.db, 0);
	CHECK_EQ(t->sym[0].pte.valid, 1);
	CHECK_EQ(t->nreginit, 6);
	CHECK_EQ(t->reginit[0].v.kind, LV_DESC);
	CHECK_EQ(t->reginit[0].v.d.oa_sym, 1);
	CHECK_EQ(t->reginit[0].v.d.dbm, 1);
	CHECK_EQ(t->reginit[0].v.d.el0, 0);
	CHECK_EQ(t->reginit[5].v.kind, LV_PTE);
	CHECK_EQ(t->quant, Q_EXISTS);
	CHECK_EQ(t->nobs, 2);
	CHECK_EQ(t->nfatom, 1);
	CHECK_STR(t->fatom[0].text, "Fault(P1:L0,x,MMU:Permission)");
	CHECK_STR(t->cond_text, "exists (1:X2=1 /\\ 1:X4=0 \\/ "
		  "not (fault(P1:L0,x,MMU:Permission)))");
	CHECK_STR(t->unsupported, "");
	vmsa_litmus_free(t);
}

/* Every form of the corpus: comments, no-'#' immediates, label and
 * instruction on one line, lowercase registers, forall with [x]. */
TEST(litmus_parse_forms)
{
	static const char text[] =
		"AArch64 forms\n"
		"(* a comment\n spanning lines *)\n"
		"EL0=P1\n"
		"TTHM=P0:HA P0:HD\n"
		"{ int64_t x; int *p = &x; 1:x1=x; int64_t 0:X7;\n"
		"  pte_y=(oa:phy_x, attrs:(Normal,iNC,oNC)); }\n"
		"P0 | P1 ;\n"
		" LSR X3,X2,12 | L00: LDR W0,[X1] ;\n"
		" TLBI VAAE1IS,X3 | CBZ W0,L00 ;\n"
		" LDR W5,[X1,W2,SXTW] | CSEL X0,X1,X2,NE ;\n"
		"locations [0:X5; y;]\n"
		"forall (0:X3=0 /\\ [x]=1 /\\ pte_y=(oa:PA(x), attrs:(Normal,iNC,oNC)))\n";
	char err[512];
	vmsa_litmus_t *t = parse(text, err, sizeof(err));

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK(t->el0[1]);
	CHECK(!t->el0[0]);
	CHECK_STR(t->tthm, "P0:HA P0:HD");
	CHECK_EQ(t->quant, Q_FORALL);
	CHECK_EQ(t->code[0].insn[0].op, OP_LSR);
	CHECK(t->code[0].insn[0].src.is_imm);
	CHECK_EQ(t->code[0].insn[0].src.imm, 12);
	CHECK_EQ(t->code[0].insn[1].tlbi.type, VMSA_TLBI_VAAE1);
	CHECK_EQ(t->code[0].insn[1].tlbi.sh, VMSA_TLBI_IS);
	CHECK_EQ(t->code[0].insn[2].src.ext, EXT_SXTW);
	CHECK_EQ(t->code[1].insn[1].op, OP_CBZ);
	CHECK_EQ(t->code[1].insn[1].target, 0);
	CHECK_EQ(t->code[1].insn[2].cc, CC_NE);
	CHECK_EQ(t->sym[lit_sym_find(t, "y")].pte.attr, LIT_ATTR_NORMAL_NC);
	CHECK_EQ(t->sym[lit_sym_find(t, "x")].size, 8);
	CHECK_EQ(t->nobs, 5);
	vmsa_litmus_free(t);
}

/* Forms herd7 takes that its own catalogue uses (catalogue/aarch64,
 * aarch64-down-one-leg, aarch64-readers-guide): SXTW Xd, Wn (run as
 * ADD Xd, XZR, Wn, SXTW), a fault type without a location (a fault at
 * any location of that type), and a ';' after the condition. */
TEST(litmus_parse_herd_catalogue_forms)
{
	static const char text[] =
		"AArch64 catforms\n"
		"{ 0:X1=x; }\n"
		"P0 ;\n"
		" SXTW X11,W6 ;\n"
		"L0: LDR W0,[X1] ;\n"
		"exists (0:X11=0 /\\ not (fault(P0:L0,MMU:Translation)));\n";
	char err[512];
	vmsa_litmus_t *t = parse(text, err, sizeof(err));

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK_EQ(t->code[0].insn[0].op, OP_ADD);
	CHECK(t->code[0].insn[0].rn.zr);
	CHECK(!t->code[0].insn[0].rd.w);
	CHECK(t->code[0].insn[0].src.r.w);
	CHECK_EQ(t->code[0].insn[0].src.r.n, 6);
	CHECK_EQ(t->code[0].insn[0].src.ext, EXT_SXTW);
	CHECK_EQ(t->nfatom, 1u);
	CHECK_EQ(t->fatom[0].sym, -1);
	CHECK_EQ(t->fatom[0].ftype, FT_TRANSLATION);
	CHECK_STR(t->fatom[0].text, "Fault(P0:L0,MMU:Translation)");
	CHECK_STR(t->cond_text,
		  "exists (0:X11=0 /\\ not (fault(P0:L0,MMU:Translation)))");
	vmsa_litmus_free(t);
}

/* herd7's TTD(x) is PTE(x); a test that lists locations and has no
 * condition runs as herd7's forall (true) (catalogue/aarch64-VMSA
 * S+dmb.st+trib-po and LDRptex). */
TEST(litmus_parse_ttd_and_no_condition)
{
	static const char text[] =
		"AArch64 ttd\n"
		"{ TTD(y)=(oa:PA(y),valid:0); 0:X5=TTD(y); }\n"
		"P0 ;\n"
		" LDR X0,[X5] ;\n"
		"locations [0:X0;]\n";
	char err[512];
	vmsa_litmus_t *t = parse(text, err, sizeof(err));

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK_EQ(t->quant, Q_FORALL);
	CHECK_STR(t->cond_text, "forall (true)");
	CHECK_EQ(t->nobs, 1);
	vmsa_litmus_free(t);
}

/* Instructions that parse but do not run yet: unsupported, with the
 * line. */
TEST(litmus_parse_unsupported_insn)
{
	static const char text[] =
		"AArch64 stzg\n{ 0:X1=x; }\n P0 ;\n MOV W0,#1 ;\n"
		" STZG X0,[X1] ;\nexists (0:X2=0)\n";
	char err[512];
	vmsa_litmus_t *t = parse(text, err, sizeof(err));

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK_STR(t->unsupported, "t.litmus:5: unsupported: STZG: STZG (of "
		  "the tag instructions only STG and LDG are run)");
	vmsa_litmus_free(t);
}

/* memtag: tagged pointers x:colour (herd's colours, green 0 .. magenta
 * 7) and STG with its offset; the first of them is remembered (a test
 * without the variant memtag cannot run them). */
TEST(litmus_parse_memtag)
{
	static const char text[] =
		"AArch64 T\nVariant=memtag,ets3\n"
		"{ 0:X0=x:red; 0:X1=x:green; 0:X3=y;\n"
		"  1:X1=x:magenta; 1:X3=y:blue; }\n"
		" P0             | P1          ;\n"
		" STG X0,[X1]    | LDR W2,[X3] ;\n"
		" STG X0,[X1,#-32] | L0: LDR W4,[X1] ;\n"
		" LDG X0,[X1,#16] |             ;\n"
		"exists (1:X2=1 /\\ fault(P1:L0,x,TagCheck) /\\ 0:X0=x:red)\n";
	char err[512];
	vmsa_litmus_t *t = parse(text, err, sizeof(err));
	const struct lit_insn *in;

	CHECK_MSG(t != NULL, "%s", err);
	if (!t)
		return;
	CHECK_STR(t->unsupported, "");
	CHECK_EQ(t->tag_line, 3);
	CHECK_EQ(t->nreginit, 5);
	CHECK_EQ(t->reginit[0].v.kind, LV_VA);
	CHECK_EQ(t->reginit[0].v.tag, 1);
	CHECK_EQ(t->reginit[1].v.tag, 0);
	CHECK_EQ(t->reginit[2].v.tag, 0);
	CHECK_EQ(t->reginit[3].v.tag, 7);
	CHECK_EQ(t->reginit[4].v.tag, 2);
	in = &t->code[0].insn[0];
	CHECK_EQ(in->op, OP_STG);
	CHECK_EQ(in->rd.n, 0);
	CHECK_EQ(in->rn.n, 1);
	CHECK_EQ(in->src.imm, 0);
	in = &t->code[0].insn[1];
	CHECK_EQ(in->op, OP_STG);
	CHECK_EQ(in->src.imm, -32);
	in = &t->code[0].insn[2];
	CHECK_EQ(in->op, OP_LDG);
	CHECK_EQ(in->src.imm, 16);
	CHECK_EQ(t->fatom[0].ftype, FT_TAG_CHECK);
	CHECK_STR(t->fatom[0].text, "Fault(P1:L0,x,TagCheck)");
	vmsa_litmus_free(t);
}

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad[] = {
	/* memtag: an unknown colour, STG's operands. */
	{"AArch64 T\n{ 0:X1=x:purple; }\n P0 ;\n NOP ;\nexists (0:X1=0)\n",
		"t.litmus:2: unknown memory tag colour 'purple' (herd's "
		"colours: green, red, blue, black, white, cyan, yellow, "
		"magenta)"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG W0,[X1] ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: the tag register (Xt) must be an X register"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG XZR,[X1] ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: STG takes its tag in an X register, not XZR"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDG X0,[X1,#17] ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: LDG offset 17 is not a multiple of 16 in "
		"-4096..4080"},
	{"AArch64 T\n{ [tag(x)]=red; }\n P0 ;\n NOP ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:2: expected ':colour', found 'red'"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\n"
	 "exists ([tag(x)]=:grey)\n",
		"t.litmus:5: unknown memory tag colour 'grey' (herd's colours: "
		"green, red, blue, black, white, cyan, yellow, magenta)"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG X0,[X1,#8] ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: STG offset 8 is not a multiple of 16 in "
		"-4096..4080"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG X0,[X1,X2] ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: STG takes [Xn] or [Xn,#imm] only"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG X0,X1 ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: expected '[' (an address), found 'X1'"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n STG X0,[X1],#16 ;\n"
	 "exists (0:X1=0)\n",
		"t.litmus:4: expected the end of the instruction, found ','"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n L0: LDR X0,[X1] ;\n"
	 "exists (fault(P0:L0,x,TagChk))\n",
		"t.litmus:5: expected MMU:Translation, MMU:AccessFlag, "
		"MMU:Permission or TagCheck, found 'TagChk'"},
	/* Truncated files. */
	{"", "t.litmus:1: expected 'AArch64 NAME', found end of file"},
	{"AArch64 T\n", "t.litmus:1: expected '{' (the initial state), found "
			"end of file"},
	{"AArch64 T\n{ 0:X1=x;\n", "t.litmus:2: expected '}' (the end of the "
				   "initial state), found end of file"},
	{"AArch64 T\n{ 0:X1=x; }\n", "t.litmus:2: expected the thread names "
				     "(P0 | P1 ;), found end of file"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n",
	 "t.litmus:4: expected a final condition (exists, ~exists or "
	 "forall), found end of file"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=",
	 "t.litmus:5: expected a value, found end of file"},
	/* Not AArch64. */
	{"X86 T\n{}\n", "t.litmus:1: expected 'AArch64 NAME' (only AArch64 "
			"tests are supported), found 'X86 T'"},
	/* Unknown instructions, bad registers, missing ';'. */
	{"AArch64 T\n{}\n P0 ;\n FOO W0,[X1] ;\nexists (0:X0=0)\n",
	 "t.litmus:4: unknown instruction 'FOO'"},
	{"AArch64 T\n{}\n P0 ;\n LDR W0,[X31] ;\nexists (0:X0=0)\n",
	 "t.litmus:4: bad register 'X31' (expected the base register: X0-X30, "
	 "W0-W30, XZR or WZR)"},
	{"AArch64 T\n{}\n P0 ;\n MOV Q0,#1 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: bad register 'Q0' (expected a destination register: "
	 "X0-X30, W0-W30, XZR or WZR)"},
	{"AArch64 T\n{}\n P0 ;\n LDR W0,[W1] ;\nexists (0:X0=0)\n",
	 "t.litmus:4: the base register must be an X register"},
	{"AArch64 T\n{}\n P0 ;\n LDR W0,[X1]\nexists (0:X0=0)\n",
	 "t.litmus:4: expected ';' at the end of the program row, found "
	 "'LDR W0,[X1]'"},
	{"AArch64 T\n{}\n P0 ;\n LDR W0,[X1 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: expected ']', found end of file"},
	{"AArch64 T\n{}\n P0 ;\n B L9 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: unknown label 'L9' in P0"},
	/* A label twice in a thread, in two threads, in a thread and a
	 * handler: herd7 rejects each ("occurs more than once"). */
	{"AArch64 T\n{}\n P0 ;\nL0: NOP ;\nL0: NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:5: label defined twice, found 'L0: NOP'"},
	{"AArch64 T\n{}\n P0 | P1 ;\nL0: NOP | NOP ;\n NOP | L0: NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:5: label 'L0' is defined in P0 already (herd7 rejects a "
	 "label that occurs more than once in a test)"},
	{"AArch64 T\n{}\n P0 | P0.F ;\nL0: NOP | L0: ERET ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: label 'L0' is defined in P0 already (herd7 rejects a "
	 "label that occurs more than once in a test)"},
	/* A location, a PTE, a tag or a register given its initial value
	 * twice (a declaration is one): herd7 rejects each ("Location x is
	 * initialized more than once"); the last one was taken. */
	{"AArch64 T\n{ int x;\n [x]=1; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:3: location x is initialised more than once (line 2 "
	 "already; herd7 rejects the test)"},
	{"AArch64 T\n{ pte_x=(valid:0); [PTE(x)]=(valid:1); }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:2: location PTE(x) is initialised more than once (line 2 "
	 "already; herd7 rejects the test)"},
	{"AArch64 T\nVariant=memtag\n{ [tag(x)]=:red;\n [tag(x)]=:green; }\n"
	 " P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:4: location tag(x) is initialised more than once (line 3 "
	 "already; herd7 rejects the test)"},
	/* A typed declaration of a register is its initialisation (0), as
	 * herd7 counts them ("Location 0:X0 is initialized more than
	 * once"). */
	{"AArch64 T\n{ int64_t 0:X0;\n 0:X0=4294967296; }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:3: 0:X0 is initialised more than once (line 2 already; "
	 "herd7 rejects the test)"},
	{"AArch64 T\n{ 0:X1=x;\n\n 0:X1=y; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:4: 0:X1 is initialised more than once (line 2 already; "
	 "herd7 rejects the test)"},
	/* A location the init section does not name, in the final
	 * condition (as a location, a value, a fault's, a PTE's, or one
	 * only the locations list named): herd7 rejects each
	 * ("Post-condition introduces new symbolic location(s)"). */
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\nexists ([z]=0)\n",
	 "t.litmus:5: the final condition names location 'z', which the "
	 "init section does not (herd7 rejects it: \"Post-condition "
	 "introduces new symbolic location(s)\")"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\nexists (0:X0=z)\n",
	 "t.litmus:5: the final condition names location 'z', which the "
	 "init section does not (herd7 rejects it: \"Post-condition "
	 "introduces new symbolic location(s)\")"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\nexists (fault(P0,z))\n",
	 "t.litmus:5: the final condition names location 'z', which the "
	 "init section does not (herd7 rejects it: \"Post-condition "
	 "introduces new symbolic location(s)\")"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=(oa:phy_z))\n",
	 "t.litmus:5: the final condition names location 'z', which the "
	 "init section does not (herd7 rejects it: \"Post-condition "
	 "introduces new symbolic location(s)\")"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\nlocations [z;]\n"
	 "exists ([z]=0)\n",
	 "t.litmus:6: the final condition names location 'z', which the "
	 "init section does not (herd7 rejects it: \"Post-condition "
	 "introduces new symbolic location(s)\")"},
	/* An array in the final condition: an element in bounds, x[i]
	 * (herd7 rejects x[3] of an int x[3]: "Out of bounds access on
	 * array x"); the whole array is a value of its own in herd7
	 * (x={0,1,0}), which vmsa does not compare: refused, not answered
	 * with element 0 (x=0 never holds in herd7). */
	{"AArch64 T\n{ int x[3]; }\n P0 ;\n NOP ;\nexists (x[3]=0)\n",
	 "t.litmus:5: x[3] is out of bounds: 'x' has 3 elements"},
	{"AArch64 T\n{ int x[3]; }\n P0 ;\n NOP ;\nexists (x=0)\n",
	 "t.litmus:5: 'x' is an array: name one of its elements, x[0] to "
	 "x[2] (herd7 compares the whole array as one value, which vmsa "
	 "does not)"},
	{"AArch64 T\n{ int x[3]; }\n P0 ;\n NOP ;\nlocations [[x];]\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:5: 'x' is an array: name one of its elements, x[0] to "
	 "x[2] (herd7 compares the whole array as one value, which vmsa "
	 "does not)"},
	{"AArch64 T\n{ int x[4]={5,6,7}; }\n P0 ;\n NOP ;\n"
	 "exists (x[0]=0)\n",
	 "t.litmus:2: 3 values for the 4 elements of 'x' (herd7 rejects the "
	 "test: \"Declared size of array x does not match initial value "
	 "size\")"},
	/* herd7 names registers as X in the final condition ("W0 is not
	 * a register"); the register's type gives the width. */
	{"AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:W0=0)\n",
	 "t.litmus:5: 0:W0: name the register as X0 in the final condition "
	 "and the locations list (herd7 rejects W registers there; its "
	 "type, int by default, gives the width)"},
	{"AArch64 T\n{ int x; }\n P0 ;\n NOP ;\nexists (x[0]=0)\n",
	 "t.litmus:5: 'x' is not an array"},
	{"AArch64 T\n{ int x[2]; }\n P0 ;\n NOP ;\nexists (x[a]=0)\n",
	 "t.litmus:5: expected an element number and ']', found 'a'"},
	{"AArch64 T\n{}\n P0 ;\n MOVZ W0,#1,LSL #32 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: MOVZ shift 32 is not 0, 16"},
	{"AArch64 T\n{}\n P0 ;\n MOVZ X0,#65536 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: MOVZ immediate 65536 out of range (0 to 65535)"},
	{"AArch64 T\n{}\n P0 ;\n NEG W0,#1 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: expected a register, found end of file"},
	{"AArch64 T\n{ uint8_t x; 0:X1=x; }\n P0 ;\n LDRB X0,[X1] ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: LDRB takes a W register"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR X1,[X1],#8 ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: LDR writes back to X1, the register it transfers "
	 "(CONSTRAINED UNPREDICTABLE)"},
	{"AArch64 T\n{ 0:X1=x; 0:X2=4; }\n P0 ;\n LDR W0,[X1,X2]! ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: LDR pre-index takes [Xn,#imm]!"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1,#4],#4 ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: LDR post-index takes [Xn],#imm"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDAR W0,[X1],#4 ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:4: expected the end of the instruction, found ','"},
	{"AArch64 T\n{}\n P0 ;\n DMB XX ;\nexists (0:X0=0)\n",
	 "t.litmus:4: unknown barrier option 'XX'"},
	{"AArch64 T\n{}\n P0 ;\n TLBI VAXE1IS,X1 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: unknown TLBI operation 'VAXE1IS'"},
	{"AArch64 T\n{}\n P0 | P1 ;\n NOP | NOP | NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:4: more columns than threads"},
	{"AArch64 T\n{}\n P0 | P2 ;\n NOP | NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:3: threads must be P0, P1, ... in order, found 'P2'"},
	/* Unbalanced parentheses, bad conditions. */
	{"AArch64 T\n{}\n P0 ;\n NOP ;\nexists ((0:X0=0)\n",
	 "t.litmus:5: expected ')', found end of file"},
	{"AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:X0=0))\n",
	 "t.litmus:5: expected '/\\', '\\/' or the end of the condition, "
	 "found ')'"},
	{"AArch64 T\n{}\n P0 ;\n NOP ;\nexists (2:X0=0)\n",
	 "t.litmus:5: no thread 2"},
	{"AArch64 T\n{ pteval_t 0:X7=x; }\n P0 ;\n NOP ;\n"
	 "exists (0:X7=0)\n",
	 "t.litmus:2: expected a descriptor record or a number for pteval_t, "
	 "found ';'"},
	{"AArch64 T\n{}\n P0 ;\nL0: NOP ;\nexists (fault(P0:L1,x))\n",
	 "t.litmus:5: unknown label 'L1' in P0"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\nL0: NOP ;\n"
	 "exists (fault(P0:L0,x,MMU:Foo))\n",
	 "t.litmus:5: unknown fault type 'MMU:Foo' (expected Translation, "
	 "AccessFlag or Permission)"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\nL0: NOP ;\n"
	 "exists (fault(P0:L0,MMU:Foo))\n",
	 "t.litmus:5: unknown fault type 'MMU:Foo' (expected Translation, "
	 "AccessFlag or Permission)"},
	{"AArch64 T\n{ 0:X1=x; }\n P0 ;\nL0: NOP ;\n"
	 "exists (fault(P0:L0,UndefinedInstruction))\n",
	 "t.litmus:5: unsupported fault type 'UndefinedInstruction' "
	 "(undefined-instruction faults are not run)"},
	{"AArch64 T\n{}\n P0 ;\n NOP ;\nexists (0:X0=0);;\n",
	 "t.litmus:5: expected '/\\', '\\/' or the end of the condition, "
	 "found ';'"},
	{"AArch64 T\n{}\n P0 ;\n SXTW W1,W2 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: SXTW takes Xd, Wn"},
	{"AArch64 T\n{}\n P0 ;\n SXTW X1,X2 ;\nexists (0:X0=0)\n",
	 "t.litmus:4: SXTW takes Xd, Wn"},
	/* Bad descriptor fields and values. */
	{"AArch64 T\n{ pte_x=(oa:PA(x), foo:1); }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:2: unknown descriptor field 'foo' (expected oa, valid, af, "
	 "db, dbm, el0, x or attrs)"},
	{"AArch64 T\n{ pte_x=(oa:PA(x), af:2); }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:2: expected 0 or 1, found '2'"},
	{"AArch64 T\n{ pte_x=(oa:x); }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: expected an output address (PA(x) or phy_x), found 'x'"},
	{"AArch64 T\n{ pte_x=1; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: the PTE of 'x' takes a descriptor record such as "
	 "(oa:PA(x), valid:0)"},
	{"AArch64 T\n{ pte_x=(oa:PA(x)), attrs:(Weird)); }\n P0 ;\n NOP ;\n"
	 "exists (0:X0=0)\n",
	 "t.litmus:2: expected ';' between initial values, found ','"},
	{"AArch64 T\n{ 0:X1=x 0:X2=y; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: expected ';' between initial values, found '0'"},
	{"AArch64 T\n{ 0:X99=x; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: bad register 'X99' (expected X0-X30 or W0-W30)"},
	/* Bad arrays. */
	{"AArch64 T\n{ int x[0]; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: array 'x' has 0 elements (1 to 64 supported)"},
	{"AArch64 T\n{ int x[2]={1,2,3}; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: more values than the 2 elements of 'x'"},
	{"AArch64 T\n{ int x[2]={1,y}; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: expected a number (an array element), found 'y'"},
	{"AArch64 T\n{ int x[2]={1 2}; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: expected '}' after the array's values, found '2'"},
	{"AArch64 T\n{ pte_x[2]; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n",
	 "t.litmus:2: only a location can be an array, not 'x'"},
	/* An unterminated comment. */
	{"AArch64 T\n{}\n(* oops\n P0 ;\n", "t.litmus:3: unterminated comment "
					    "'(*'"},
};

TEST(litmus_parse_errors)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512];
		vmsa_litmus_t *t = parse(bad[i].text, err, sizeof(err));

		CHECK_MSG(t == NULL, "case %zu parsed", i);
		vmsa_litmus_free(t);
		CHECK_MSG(!strcmp(err, bad[i].err), "case %zu: got '%s', want "
			  "'%s'", i, err, bad[i].err);
	}
}

/* A file that cannot be read. */
TEST(litmus_parse_file_missing)
{
	vmsa_litmus_t *t = (vmsa_litmus_t *)1;
	char err[256];

	CHECK_EQ(vmsa_litmus_parse_file("/nonexistent/x.litmus", &t, err,
					 sizeof(err)), -ENOENT);
	CHECK(t == NULL);
	CHECK_STR(err, "/nonexistent/x.litmus: No such file or directory");
}
