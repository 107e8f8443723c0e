/*
 * src/cli/main.c - the vmsa command: the command line of vmsa_main() over
 * the bundled scenarios (scenarios/, linked into this program).
 */
#include "vmsa/cli.h"

int main(int argc, char **argv)
{
	return vmsa_main(argc, argv);
}
