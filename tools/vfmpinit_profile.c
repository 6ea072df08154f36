// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit --profile MODULE: where a driver's probe time goes.
 *
 * Every function of the loaded MODULE that ftrace can trace gets a kprobe
 * and a kretprobe (by address, the function's index as the BPF cookie),
 * attached once at start.  Perf kprobes hold no module reference, so the
 * module can still be unloaded.  The BPF side (prof_entry/prof_exit in
 * bpf/vfmpinit.bpf.c) keeps a call stack per thread and sums inclusive and
 * self time per function and per caller -> callee edge.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vfmpinit.h"
#include "vfmpinit.skel.h"
#include "vfmpinit_profile.h"

struct pfn {
	char name[128];
	unsigned long long addr;
	struct prof_fn st;
};

static struct pfn *fns;
static int n_fns;
static struct bpf_link **links;
static int n_links;
static char module[64];

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct pfn *)a)->name,
		      ((const struct pfn *)b)->name);
}

static struct pfn *find_fn(const char *name)
{
	struct pfn key;

	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, fns, n_fns, sizeof(*fns), by_name);
}

/*
 * The module's traceable functions: names from available_filter_functions
 * ("name [module]"), addresses from /proc/kallsyms.  A name that appears
 * twice in the module (two static functions) is left out: its address
 * would be ambiguous.
 */
static int list_functions(const char *tracefs)
{
	char path[128], line[256], name[128], mod[80], tag[96];
	unsigned long long addr;
	char type;
	FILE *f;
	int cap = 256, i, j;

	snprintf(tag, sizeof(tag), "[%s]", module);
	snprintf(path, sizeof(path), "%s/available_filter_functions", tracefs);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	fns = calloc(cap, sizeof(*fns));
	if (!fns) {
		fclose(f);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %79s", name, mod) != 2 || strcmp(mod, tag))
			continue;
		if (n_fns == PROF_MAX_FN)
			break;
		if (n_fns == cap) {
			struct pfn *n = realloc(fns, 2 * cap * sizeof(*fns));

			if (!n)
				break;
			fns = n;
			cap *= 2;
		}
		memset(&fns[n_fns], 0, sizeof(fns[0]));
		snprintf(fns[n_fns].name, sizeof(fns[0].name), "%s", name);
		n_fns++;
	}
	fclose(f);
	qsort(fns, n_fns, sizeof(*fns), by_name);
	for (i = 0, j = 0; i < n_fns; i++) {	/* drop duplicated names */
		bool dup = (i > 0 && !strcmp(fns[i].name, fns[i - 1].name)) ||
			   (i + 1 < n_fns && !strcmp(fns[i].name, fns[i + 1].name));

		if (!dup)
			fns[j++] = fns[i];
	}
	n_fns = j;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct pfn *p;

		if (sscanf(line, "%llx %c %127s %79s", &addr, &type, name, mod) != 4 ||
		    strcmp(mod, tag) || (type != 't' && type != 'T'))
			continue;
		p = find_fn(name);
		if (p)
			p->addr = p->addr ? ~0ULL : addr;	/* twice: ambiguous */
	}
	fclose(f);
	for (i = 0, j = 0; i < n_fns; i++)
		if (fns[i].addr && fns[i].addr != ~0ULL)
			fns[j++] = fns[i];
	n_fns = j;
	return n_fns;
}

int profile_attach(struct vfmpinit_bpf *skel, const char *mod,
		   const char *tracefs)
{
	int i, n, err = 0;

	snprintf(module, sizeof(module), "%s", mod);
	n = list_functions(tracefs);
	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	links = calloc(2 * n, sizeof(*links));
	if (!links)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		LIBBPF_OPTS(bpf_kprobe_opts, o, .bpf_cookie = i,
			    .offset = fns[i].addr);
		struct bpf_link *in, *out;

		in = bpf_program__attach_kprobe_opts(skel->progs.prof_entry,
						     NULL, &o);
		if (!in) {
			err = -errno;
			continue;	/* e.g. a function kprobes refuse */
		}
		o.retprobe = true;
		out = bpf_program__attach_kprobe_opts(skel->progs.prof_exit,
						      NULL, &o);
		if (!out) {
			err = -errno;
			bpf_link__destroy(in);
			continue;
		}
		links[n_links++] = in;
		links[n_links++] = out;
	}
	if (!n_links)
		return err ? err : -ENOENT;
	return n_links / 2;
}

void profile_detach(void)
{
	int i;

	for (i = 0; i < n_links; i++)
		bpf_link__destroy(links[i]);
	free(links);
	links = NULL;
	n_links = 0;
}

struct edge {
	unsigned int caller, callee;
	struct prof_edge v;
};

static struct edge *edges;
static int n_edges;

static int by_ns_desc(const void *a, const void *b)
{
	unsigned long long x = ((const struct edge *)a)->v.ns;
	unsigned long long y = ((const struct edge *)b)->v.ns;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_incl_desc(const void *a, const void *b)
{
	unsigned long long x = fns[*(const int *)a].st.incl_ns;
	unsigned long long y = fns[*(const int *)b].st.incl_ns;

	return x < y ? 1 : x > y ? -1 : 0;
}

static void read_maps(struct vfmpinit_bpf *skel)
{
	int fd = bpf_map__fd(skel->maps.prof_edges), cap = 0;
	struct prof_edge_key k, nk, *prev = NULL;
	unsigned int i;

	for (i = 0; i < (unsigned int)n_fns; i++)
		bpf_map_lookup_elem(bpf_map__fd(skel->maps.prof_fns), &i,
				    &fns[i].st);
	while (!bpf_map_get_next_key(fd, prev, &nk)) {
		if (n_edges == cap) {
			struct edge *ne;

			cap = cap ? 2 * cap : 256;
			ne = realloc(edges, cap * sizeof(*edges));
			if (!ne)
				break;
			edges = ne;
		}
		if (!bpf_map_lookup_elem(fd, &nk, &edges[n_edges].v)) {
			edges[n_edges].caller = nk.caller;
			edges[n_edges].callee = nk.callee;
			n_edges++;
		}
		k = nk;
		prev = &k;
	}
	qsort(edges, n_edges, sizeof(*edges), by_ns_desc);
}

static const char *fname(unsigned int i)
{
	return i < (unsigned int)n_fns ? fns[i].name : "?";
}

/* the call tree: children by time, down to 1% of the total, 6 levels */
static void tree(unsigned int caller, int depth, unsigned long long total,
		 unsigned int *path)
{
	int i, shown = 0, d;

	for (i = 0; i < n_edges && shown < 8; i++) {
		const struct edge *e = &edges[i];

		if (e->caller != caller || e->v.ns * 100 < total)
			continue;
		for (d = 0; d < depth; d++)	/* recursion: stop */
			if (path[d] == e->callee)
				break;
		if (d < depth)
			continue;
		printf("%*s%-*s %10.1f ms %7llu calls\n", 2 * depth, "",
		       44 - 2 * depth, fname(e->callee), e->v.ns / 1e6,
		       e->v.calls);
		shown++;
		if (depth < 5) {
			path[depth] = e->callee;
			tree(e->callee, depth + 1, total, path);
		}
	}
}

void profile_report(struct vfmpinit_bpf *skel, bool json)
{
	unsigned long long total = 0;
	unsigned int path[8];
	int *order, i, n = 0;

	read_maps(skel);
	order = calloc(n_fns ? n_fns : 1, sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < n_fns; i++)
		if (fns[i].st.calls)
			order[n++] = i;
	qsort(order, n, sizeof(*order), by_incl_desc);
	for (i = 0; i < n_edges; i++)
		if (edges[i].caller == PROF_ROOT)
			total += edges[i].v.ns;
	if (json) {
		for (i = 0; i < n; i++) {
			const struct pfn *p = &fns[order[i]];

			printf("{\"event\":\"profile\",\"module\":\"%s\",\"function\":\"%s\",\"calls\":%llu,\"incl_us\":%.1f,\"self_us\":%.1f}\n",
			       module, p->name, p->st.calls, p->st.incl_ns / 1e3,
			       p->st.self_ns / 1e3);
		}
		for (i = 0; i < n_edges; i++) {
			const struct edge *e = &edges[i];

			printf("{\"event\":\"profile_edge\",\"module\":\"%s\",",
			       module);
			if (e->caller == PROF_ROOT)
				printf("\"caller\":null,");
			else
				printf("\"caller\":\"%s\",", fname(e->caller));
			printf("\"callee\":\"%s\",\"calls\":%llu,\"us\":%.1f}\n",
			       fname(e->callee), e->v.calls, e->v.ns / 1e3);
		}
		fflush(stdout);
		free(order);
		return;
	}
	printf("\nvfmpinit: profile of %s: %d functions called, of %d probed\n",
	       module, n, n_fns);
	printf("%10s %10s %8s  %s\n", "INCL_ms", "SELF_ms", "CALLS", "FUNCTION");
	for (i = 0; i < n && i < 25; i++) {
		const struct pfn *p = &fns[order[i]];

		printf("%10.1f %10.1f %8llu  %s\n", p->st.incl_ns / 1e6,
		       p->st.self_ns / 1e6, p->st.calls, p->name);
	}
	if (total) {
		printf("\ncall tree (inclusive time, from the module's entry points):\n");
		tree(PROF_ROOT, 0, total, path);
	}
	fflush(stdout);
	free(order);
}
