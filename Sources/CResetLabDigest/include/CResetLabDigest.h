// Checksums for Steady's journals and file transfer: CRC-32C (hardware instruction where the CPU has
// it) and SHA-256 (the system's OpenSSL libcrypto).
#ifndef RESETLAB_DIGEST_H
#define RESETLAB_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32C (Castagnoli) over `length` bytes; start with 0.
uint32_t rl_crc32c(uint32_t crc, const void *bytes, size_t length);

/// An opaque SHA-256 computation.
typedef struct rl_sha256 rl_sha256;

/// A new computation, or NULL when libcrypto cannot provide one.
rl_sha256 *rl_sha256_new(void);
void rl_sha256_update(rl_sha256 *state, const void *bytes, size_t length);
/// Writes the 32-byte digest and frees the state.
void rl_sha256_finish(rl_sha256 *state, uint8_t digest[32]);
/// Frees a state without finishing it.
void rl_sha256_free(rl_sha256 *state);

#endif
