#include "CResetLabDigest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>

static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_table_once = PTHREAD_ONCE_INIT;

static void crc32c_fill_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
        crc32c_table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = crc32c_table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = crc32c_table[0][crc & 0xff] ^ (crc >> 8);
            crc32c_table[k][n] = crc;
        }
    }
}

static uint32_t crc32c_software(uint32_t crc, const uint8_t *p, size_t length) {
    pthread_once(&crc32c_table_once, crc32c_fill_table);
    while (length >= 8) {
        uint64_t word;
        __builtin_memcpy(&word, p, 8);
        word ^= crc;
        crc = crc32c_table[7][word & 0xff] ^ crc32c_table[6][(word >> 8) & 0xff] ^
              crc32c_table[5][(word >> 16) & 0xff] ^ crc32c_table[4][(word >> 24) & 0xff] ^
              crc32c_table[3][(word >> 32) & 0xff] ^ crc32c_table[2][(word >> 40) & 0xff] ^
              crc32c_table[1][(word >> 48) & 0xff] ^ crc32c_table[0][word >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = crc32c_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t crc, const uint8_t *p, size_t length) {
    uint64_t value = crc;
    while (length >= 8) {
        uint64_t word;
        __builtin_memcpy(&word, p, 8);
        value = __builtin_ia32_crc32di(value, word);
        p += 8;
        length -= 8;
    }
    uint32_t small = (uint32_t)value;
    while (length--) small = __builtin_ia32_crc32qi(small, *p++);
    return small;
}
#endif

uint32_t rl_crc32c(uint32_t crc, const void *bytes, size_t length) {
    const uint8_t *p = bytes;
    crc = ~crc;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) return ~crc32c_hardware(crc, p, length);
#endif
    return ~crc32c_software(crc, p, length);
}

struct rl_sha256 {
    EVP_MD_CTX *context;
};

static pthread_once_t crypto_initialised = PTHREAD_ONCE_INIT;

/// libcrypto normally tears itself down at exit(); a hash still running on another thread then reads
/// freed tables and the process dies with SIGSEGV instead of its exit status. Nothing here needs that
/// clean-up, so it is switched off before the first use.
static void initialise_crypto(void) {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}

rl_sha256 *rl_sha256_new(void) {
    pthread_once(&crypto_initialised, initialise_crypto);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (!context) return NULL;
    if (EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    rl_sha256 *state = OPENSSL_malloc(sizeof(rl_sha256));
    if (!state) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    state->context = context;
    return state;
}

void rl_sha256_update(rl_sha256 *state, const void *bytes, size_t length) {
    EVP_DigestUpdate(state->context, bytes, length);
}

void rl_sha256_finish(rl_sha256 *state, uint8_t digest[32]) {
    unsigned int length = 32;
    EVP_DigestFinal_ex(state->context, digest, &length);
    rl_sha256_free(state);
}

void rl_sha256_free(rl_sha256 *state) {
    EVP_MD_CTX_free(state->context);
    OPENSSL_free(state);
}
