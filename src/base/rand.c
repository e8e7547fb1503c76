/* rand.c — randomness from libsodium, with a seeded mode for tests. */
#include "base/rand.h"
#include "base/err.h"
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

static atomic_ullong seeded; /* 0 = CSPRNG */

int kk_random_init(void)
{
	return sodium_init() < 0 ? KK_ECRYPTO : 0;
}

void kk_random_seed(uint64_t seed)
{
	atomic_store(&seeded, seed);
}

void kk_random_bytes(void *out, size_t n)
{
	unsigned long long s = atomic_load(&seeded);
	if (!s) {
		randombytes_buf(out, n);
		return;
	}
	unsigned char *p = out;
	for (size_t i = 0; i < n; i++) { /* splitmix64 */
		unsigned long long z = atomic_fetch_add(&seeded, 0x9e3779b97f4a7c15ull) + 0x9e3779b97f4a7c15ull;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		p[i] = (unsigned char)(z ^ (z >> 31));
	}
}

uint32_t kk_random_u32(void)
{
	uint32_t v;
	kk_random_bytes(&v, sizeof(v));
	return v;
}

uint32_t kk_random_uniform(uint32_t n)
{
	if (n < 2)
		return 0;
	uint32_t min = -n % n, r;
	do
		r = kk_random_u32();
	while (r < min);
	return r % n;
}

void kk_random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[64];
	size_t o = 0;
	while (n) {
		size_t k = n < sizeof(b) ? n : sizeof(b);
		kk_random_bytes(b, k);
		for (size_t i = 0; i < k; i++) {
			out[o++] = hex[b[i] >> 4];
			out[o++] = hex[b[i] & 15];
		}
		n -= k;
	}
	out[o] = 0;
}

void kk_random_token(char *out, size_t n)
{
	unsigned char b[128];
	if (n > sizeof(b))
		n = sizeof(b);
	kk_random_bytes(b, n);
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), b, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
}
