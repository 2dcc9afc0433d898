// A TLS client over an already connected, blocking socket, on the system's OpenSSL: what `resetlab probe`
// needs to report (protocol, cipher, certificate subject, issuer, expiry, trust and name checks) and to
// talk through TLS afterwards (SMTP STARTTLS, FTP AUTH TLS, HTTPS). The socket's SO_RCVTIMEO/SO_SNDTIMEO
// bound every call.
#ifndef RESETLAB_TLS_H
#define RESETLAB_TLS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rl_tls rl_tls;

/// Performs the handshake on `fd`, sending `server_name` as SNI unless it is an IP address. The peer's
/// certificate is examined, not enforced. Returns NULL on failure with a reason in `error` (NUL-ended).
rl_tls *rl_tls_connect(int fd, const char *server_name, char *error, size_t error_capacity);
/// Reads up to `capacity` bytes: > 0 bytes read, 0 orderly end (close_notify or FIN), < 0 failure
/// (-errno for a socket error, such as -ECONNRESET or -EAGAIN on timeout; -10000 for a TLS protocol error).
long rl_tls_read(rl_tls *tls, void *buffer, size_t capacity);
/// Writes all `length` bytes: the count, or < 0 as for rl_tls_read.
long rl_tls_write(rl_tls *tls, const void *buffer, size_t length);
/// Sends close_notify (best effort) and frees everything; the socket stays open.
void rl_tls_free(rl_tls *tls);

/// "TLSv1.3", "TLSv1.2", ...
const char *rl_tls_protocol(const rl_tls *tls);
/// The negotiated cipher suite's standard name.
const char *rl_tls_cipher(const rl_tls *tls);
/// The peer certificate's subject and issuer in one-line RFC 2253 form; 0 when there is no certificate.
int rl_tls_subject(const rl_tls *tls, char *text, size_t capacity);
int rl_tls_issuer(const rl_tls *tls, char *text, size_t capacity);
/// The certificate's notAfter as seconds since the epoch; 0 when unknown.
long long rl_tls_not_after(const rl_tls *tls);
/// Whether the certificate chain verified against the system's trust store, and if not, why.
int rl_tls_trusted(const rl_tls *tls, char *reason, size_t capacity);
/// Whether the certificate is valid for `host` (a name or an IP address).
int rl_tls_matches_host(const rl_tls *tls, const char *host);

#endif
