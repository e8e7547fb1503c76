/*
 * fz-vex.c — libFuzzer harness for the VEX reader (watch/vex.h):
 * CycloneDX and CSAF VEX. Any input is read or refused with a message;
 * every statement read names a vulnerability and has a known state.
 */
#include "base/arena.h"
#include "watch/vex.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_arena a;
	struct kk_vex v;
	struct kk_diag d;
	kk_arena_init(&a, 64u << 20);
	int rc = kk_vex_parse((const char *)data, size, &a, &v, &d);
	if (rc < 0 && rc != KK_ENOMEM && !d.msg[0])
		abort();
	for (size_t i = 0; rc >= 0 && i < v.n; i++)
		if (!v.v[i].vuln || v.v[i].state < KK_VEX_AFFECTED || v.v[i].state > KK_VEX_UNDER_INVESTIGATION)
			abort();
	kk_arena_release(&a);
	return 0;
}
