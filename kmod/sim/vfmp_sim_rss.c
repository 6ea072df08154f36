// SPDX-License-Identifier: GPL-2.0
/*
 * The sim's RSS engine is the pure-C Toeplitz of kmod/core, compiled into
 * this module too (an object file can belong to only one module).  The
 * hardware constants of vfmp_sim_hw.h are the engine's: the compiler
 * checks that they stay so.
 */
#include "../core/vfmp_rss.c"

#include "vfmp_sim.h"

/* sizes */
static_assert(VFMP_SIM_RSS_KEY_SIZE == VFMP_RSS_KEY_SIZE);
static_assert(VFMP_SIM_RSS_INDIR_SIZE == VFMP_RSS_INDIR_SIZE);

/* the hash types the engine computes (struct vfmp_sim_rss.hash_types) */
static_assert(VFMP_SIM_HASH_IPV4 == VFMP_RSS_HASH_IPV4);
static_assert(VFMP_SIM_HASH_TCP_IPV4 == VFMP_RSS_HASH_TCP_IPV4);
static_assert(VFMP_SIM_HASH_UDP_IPV4 == VFMP_RSS_HASH_UDP_IPV4);
static_assert(VFMP_SIM_HASH_IPV6 == VFMP_RSS_HASH_IPV6);
static_assert(VFMP_SIM_HASH_TCP_IPV6 == VFMP_RSS_HASH_TCP_IPV6);
static_assert(VFMP_SIM_HASH_UDP_IPV6 == VFMP_RSS_HASH_UDP_IPV6);
static_assert(VFMP_SIM_HASH_ALL == VFMP_RSS_HASH_ALL);

/* the hash type written back in an RX descriptor is the engine's */
static_assert(VFMP_SIM_HT_NONE == (int)VFMP_RSS_HT_NONE);
static_assert(VFMP_SIM_HT_IPV4 == (int)VFMP_RSS_HT_IPV4);
static_assert(VFMP_SIM_HT_TCP_IPV4 == (int)VFMP_RSS_HT_TCP_IPV4);
static_assert(VFMP_SIM_HT_UDP_IPV4 == (int)VFMP_RSS_HT_UDP_IPV4);
static_assert(VFMP_SIM_HT_IPV6 == (int)VFMP_RSS_HT_IPV6);
static_assert(VFMP_SIM_HT_TCP_IPV6 == (int)VFMP_RSS_HT_TCP_IPV6);
static_assert(VFMP_SIM_HT_UDP_IPV6 == (int)VFMP_RSS_HT_UDP_IPV6);
static_assert(VFMP_SIM_HT_UDP_IPV6 + 1 == (int)VFMP_RSS_HT_MAX);
