// SPDX-License-Identifier: GPL-2.0
/*
 * The sim's RSS engine is the pure-C Toeplitz of kmod/core, compiled into
 * this module too (an object file can belong to only one module).
 */
#include "../core/vfmp_rss.c"
