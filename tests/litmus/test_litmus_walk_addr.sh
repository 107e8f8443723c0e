#!/bin/sh
# An early walk is ordered after its access's address dependency (B2.3.7,
# Address dependency to an Implicit TTD Memory Read Effect; translate.c,
# observed): CPU0 maps x, DSB ISH, flag; CPU1 reads the flag and loads x.
# With the load's address depending on the flag (MP.pte+dsb+addr) an
# invalid descriptor, never cached, cannot be read once the flag is 1:
# herd7 Forbidden. With a fixed address (MP.pte+dsb+po) the walk may be
# done before the flag's read, without ETS2 a DSB orders no TTD read: the
# spurious Translation fault stays (Allowed). Exact observations; with
# ETS2 both are Never (the fault is ordered after the flag's read).
. "$(dirname "$0")/../lib.sh"

d=$(dirname "$0")/data

obs() { # variant test: its Observation line
	"$VMSA" litmus --variant "$1" "$d/$2.litmus" | grep '^Observation '
}

t_run obs vmsa,fatal MP.pte+dsb+addr
t_stdout_is "addr, no ETS2" "Observation MP.pte+dsb+addr Never 0 6"
t_run obs vmsa,fatal MP.pte+dsb+po
t_stdout_is "po, no ETS2" "Observation MP.pte+dsb+po Sometimes 1 6"
# The same with an Access flag fault (AF = 0 leaf; also TLBUncacheable).
t_run obs vmsa,fatal MP.pteaf+dsb+addr
t_stdout_is "AF, addr, no ETS2" "Observation MP.pteaf+dsb+addr Never 0 6"
t_run obs vmsa,fatal,ets2 MP.pte+dsb+addr
t_stdout_is "addr, ETS2" "Observation MP.pte+dsb+addr Never 0 6"
t_run obs vmsa,fatal,ets2 MP.pte+dsb+po
t_stdout_is "po, ETS2" "Observation MP.pte+dsb+po Never 0 6"
t_done
