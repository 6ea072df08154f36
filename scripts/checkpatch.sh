#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh: checkpatch.pl --strict over all kernel code of vfmp.
# checkpatch comes from Debian's linux-source-6.1 (unpacked once into
# build/).  The only exception: *_trace.h files use the TRACE_EVENT layout
# every in-tree trace header uses, which trips OPEN_ENDED_LINE and
# PARENTHESIS_ALIGNMENT by construction.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cp=${CHECKPATCH:-}
if [ -z "$cp" ]; then
	cp=$repo/build/linux-source/scripts/checkpatch.pl
	if [ ! -x "$cp" ]; then
		tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | tail -n1)
		[ -n "$tarball" ] || { echo "checkpatch.sh: install linux-source-6.1" >&2; exit 1; }
		mkdir -p "$repo/build/linux-source"
		tar -xJf "$tarball" -C "$repo/build/linux-source" --strip-components=1 \
			--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
	fi
fi
cd "$repo"
opts=(--strict --no-tree --terse --show-types --quiet -f)
rc=0
mapfile -t files < <(find kmod -name '*.[ch]' ! -name '*_trace.h' | sort)
mapfile -t traces < <(find kmod -name '*_trace.h' | sort)
for f in "${files[@]}"; do
	out=$("$cp" "${opts[@]}" "$f") || { rc=1; printf '%s\n' "$out"; }
done
for f in "${traces[@]}"; do
	out=$("$cp" "${opts[@]}" --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT "$f") ||
		{ rc=1; printf '%s\n' "$out"; }
done
[ $rc -eq 0 ] && echo "checkpatch: ${#files[@]} + ${#traces[@]} files clean"
exit $rc
