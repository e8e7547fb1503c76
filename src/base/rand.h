/*
 * rand.h — the only source of randomness (libsodium's CSPRNG). Tests may
 * make it deterministic with kk_random_seed (never in production).
 */
#ifndef KK_BASE_RAND_H
#define KK_BASE_RAND_H
#include <stddef.h>
#include <stdint.h>

/* Must be called once before threads start; returns 0 or KK_ECRYPTO. */
int kk_random_init(void);
void kk_random_bytes(void *out, size_t n);
uint32_t kk_random_u32(void);
/* Uniform in [0, n). */
uint32_t kk_random_uniform(uint32_t n);
/* n random bytes as 2n lowercase hex chars + NUL into out (>= 2n+1). */
void kk_random_hex(char *out, size_t n);
/* n random bytes as unpadded base64url into out (>= 4*n/3+2). */
void kk_random_token(char *out, size_t n);
/* Deterministic stream for tests: seed != 0 enables, 0 restores the CSPRNG. */
void kk_random_seed(uint64_t seed);

#endif
