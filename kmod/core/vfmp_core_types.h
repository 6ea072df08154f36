/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp core: portability shim.
 *
 * The code in kmod/core/ is compiled into the kernel module and into the
 * user-space unit tests and fuzzer. It only uses the names provided here:
 * u8/u16/u32/u64, bool, __le16/__le32, cpu_to_le16/32, le16/32_to_cpu,
 * scnprintf, memset/memcpy, offsetof and negative errno values.
 */
#ifndef VFMP_CORE_TYPES_H
#define VFMP_CORE_TYPES_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/build_bug.h>

#else /* !__KERNEL__ */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <endian.h>
#include <assert.h>	/* static_assert */

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;

/* No sparse in user space: the bitwise types are plain integers. */
typedef __UINT16_TYPE__ __le16;
typedef __UINT32_TYPE__ __le32;

#ifndef __printf
/* like the kernel's compiler_attributes.h */
#define VFMP_ATTR_FMT __format__
#define __printf(a, b) __attribute__((VFMP_ATTR_FMT(printf, a, b)))
#endif

#define cpu_to_le16(x) ((__le16)htole16((u16)(x)))
#define cpu_to_le32(x) ((__le32)htole32((u32)(x)))
#define le16_to_cpu(x) ((u16)le16toh((u16)(x)))
#define le32_to_cpu(x) ((u32)le32toh((u32)(x)))

/*
 * Kernel semantics: returns the number of characters actually written to
 * buf, not counting the terminating NUL; 0 when len is 0.
 */
static inline __printf(3, 4) int
scnprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!len)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	if ((size_t)n >= len)
		return (int)(len - 1);
	return n;
}

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* __KERNEL__ */

#endif /* VFMP_CORE_TYPES_H */
