/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmpinit --check: the rules of "Initializing a VF Miniport Driver"
 * (docs/rules.md, R1..R9) judged for every SR-IOV netdev of this system,
 * from sysfs and ethtool ioctls only (no BPF).
 */
#ifndef VFMPINIT_CHECK_H
#define VFMPINIT_CHECK_H

#include <stdbool.h>

/* Exit status of vfmpinit --check */
#define VFMPINIT_CHECK_OK	0	/* every judged rule passed (or n/a) */
#define VFMPINIT_CHECK_FAIL	1	/* at least one rule failed */
#define VFMPINIT_CHECK_NONE	3	/* no VF/PF netdev matched */

/*
 * Print one verdict per rule for each VF netdev (PCI VFs and vfmp_sim VFs)
 * and each SR-IOV PF netdev whose netdev or device name contains dev_filter
 * (all when NULL); as JSON lines when json.  Returns an exit status above.
 */
int vfmpinit_check(const char *dev_filter, bool json);

#endif /* VFMPINIT_CHECK_H */
