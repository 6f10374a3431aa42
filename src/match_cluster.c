/*
 * match_cluster.c - connected components of the pairs kept by `safehub dedupe` (match.h):
 * union-find with path halving, each component's root its smallest record index, so the
 * result does not depend on the order of the pairs.
 * Owns: match_cluster. Must not touch: HTTP, SQL, files.
 */
#include "match_int.h"

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

int match_cluster(size_t n, const struct match_pair *p, size_t np, uint32_t *cluster)
{
	for (size_t i = 0; i < n; i++)
		cluster[i] = (uint32_t)i;
	for (size_t k = 0; k < np; k++) {
		if (p[k].a >= n || p[k].b >= n)
			continue;
		uint32_t x = find(cluster, p[k].a), y = find(cluster, p[k].b);
		if (x < y)
			cluster[y] = x;
		else if (y < x)
			cluster[x] = y;
	}
	for (size_t i = 0; i < n; i++)
		cluster[i] = find(cluster, (uint32_t)i);
	return 0;
}
