#!/bin/sh
# herd7's variant memtag (FEAT_MTE2): Tag Checks of loads and stores
# against the Allocation Tags that STG writes, ordered as herd7's
# aarch64hwreqs.cat orders an Implicit Tag Memory Read Effect (docs/
# litmus.md, "Memory tagging"). Each test's comment argues its expected
# result from the cat rules; exact observations and execution counts.
. "$(dirname "$0")/../lib.sh"

d=$(dirname "$0")/data/memtag

obs() { # test [variant]: its Observation line
	if [ -n "$2" ]; then
		"$VMSA" litmus --variant "$2" "$d/$1.litmus"
	else
		"$VMSA" litmus "$d/$1.litmus"
	fi | grep '^Observation '
}

# ETS3 orders a faulting Tag Check after earlier explicit accesses.
t_run obs MP.tag+dmb.st+ets3
t_stdout_is "MP, ETS3" "Observation MP.tag+dmb.st+ets3 Never 0 4"
t_run obs MP.tag+dmb.st
t_stdout_is "MP, no ETS3" "Observation MP.tag+dmb.st Sometimes 1 4"
t_run obs MP.tag+po+ets3
t_stdout_is "MP, no DMB ST" "Observation MP.tag+po+ets3 Sometimes 1 8"
t_run obs MP.tag+dmb.st+ets3.green
t_stdout_is "MP, matching pointer" \
	"Observation MP.tag+dmb.st+ets3.green Sometimes 1 4"
# What orders a tag read without ETS3: DMB LD, an address dependency.
t_run obs MP.tag+dmb.st+dmb.ld
t_stdout_is "MP, DMB LD" "Observation MP.tag+dmb.st+dmb.ld Never 0 4"
t_run obs MP.tag+dmb.st+addr
t_stdout_is "MP, addr" "Observation MP.tag+dmb.st+addr Never 0 4"
# Coherence: none between two tag reads, coWR-MTE after an own STG.
t_run obs CoRR.tag
t_stdout_is "CoRR" "Observation CoRR.tag Sometimes 1 3"
t_run obs CoRR.tag+dmb.ld
t_stdout_is "CoRR, DMB LD" "Observation CoRR.tag+dmb.ld Never 0 3"
t_run obs CoWR.tag
t_stdout_is "CoWR" "Observation CoWR.tag Never 0 1"
# LDG is an explicit read: coherent with a later LDG.
t_run obs CoRR.ldg
t_stdout_is "CoRR, LDG" "Observation CoRR.ldg Never 0 3"
# [tag(x)]=:red in the init and the final state, LDG's value.
t_run obs tag.init
t_stdout_is "tag init" "Observation tag.init Always 1 0"
t_run "$VMSA" litmus "$d/tag.init.litmus"
t_stdout_has "tag state" "0:X5=x:red; [tag(x)]=:red; ~Fault(P0:L0,x); Fault(P0:L1,x,TagCheck);"
t_stdout_has "tag condition" "Condition forall (not (fault(P0:L0,x)) /\\ fault(P0:L1,x,TagCheck) /\\ 0:X5=x:red /\\ [tag(x)]=:red)"
# The fault conventions: faulttonext, handled, a P0.F handler.
t_run obs fault.tag+skip
t_stdout_is "faulttonext" "Observation fault.tag+skip Always 1 0"
t_run obs fault.tag+handled
t_stdout_is "handled" "Observation fault.tag+handled Sometimes 2 1"
t_run obs fault.tag+handler
t_stdout_is "P0.F" "Observation fault.tag+handler Always 1 0"

# The states name the fault's type and print tagged pointers as herd.
t_run "$VMSA" litmus "$d/fault.tag+skip.litmus"
t_stdout_has "typed fault" "0:X3=0; [x]=0; Fault(P0:L0,x,TagCheck);"
t_run "$VMSA" litmus --json "$d/CoWR.tag.litmus"
t_stdout_has "json variant" '"variant": "vmsa,fatal,memtag"'

# Without the variant (and for what the model does not Tag Check):
# unsupported, never a verdict.
t_run "$VMSA" litmus --tsv "$(dirname "$0")/data/stg.litmus"
t_status "no memtag" 0
t_stdout_has "no memtag" "unsupported	0.000	0	$(dirname "$0")/data/stg.litmus:4: unsupported: a tagged address (x:colour) or STG without the variant memtag (herd7 gives them no meaning then)"
t_done
