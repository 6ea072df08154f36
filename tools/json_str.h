/* SPDX-License-Identifier: GPL-2.0 */
/* json_str.h: a C string as a JSON string literal, for the tools' -j output */
#ifndef __VFMP_JSON_STR_H
#define __VFMP_JSON_STR_H

#include <stdio.h>

static inline void json_fputs(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

#endif /* __VFMP_JSON_STR_H */
