#include "resetlab_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rl_tls {
    SSL_CTX *context;
    SSL *ssl;
    X509 *certificate;
};

static void copy_text(char *destination, size_t capacity, const char *text) {
    if (capacity == 0) return;
    snprintf(destination, capacity, "%s", text ? text : "");
}

static int is_ip_address(const char *host) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, host, buffer) == 1 || inet_pton(AF_INET6, host, buffer) == 1;
}

/// The failure of an SSL_* call as rl_tls_read/rl_tls_write report it.
static long failure(SSL *ssl, int result) {
    int code = SSL_get_error(ssl, result);
    if (code == SSL_ERROR_ZERO_RETURN) return 0;
    if (code == SSL_ERROR_SYSCALL) {
        if (errno != 0) return -errno;
        return 0;  // EOF without close_notify: the peer closed the TCP connection
    }
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return -EAGAIN;
    return -10000;
}

rl_tls *rl_tls_connect(int fd, const char *server_name, char *error, size_t error_capacity) {
    copy_text(error, error_capacity, "");
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) {
        copy_text(error, error_capacity, "cannot create a TLS context");
        return NULL;
    }
    SSL_CTX_set_default_verify_paths(context);
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, NULL);
    SSL *ssl = SSL_new(context);
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
        copy_text(error, error_capacity, "cannot attach TLS to the socket");
        if (ssl) SSL_free(ssl);
        SSL_CTX_free(context);
        return NULL;
    }
    if (server_name && server_name[0] && !is_ip_address(server_name)) {
        SSL_set_tlsext_host_name(ssl, server_name);
    }
    ERR_clear_error();
    errno = 0;
    int result = SSL_connect(ssl);
    if (result != 1) {
        int code = SSL_get_error(ssl, result);
        unsigned long detail = ERR_peek_error();
        if (code == SSL_ERROR_SYSCALL && errno != 0) {
            snprintf(error, error_capacity, "socket error during the TLS handshake: %s (errno %d)", strerror(errno), errno);
        } else if (code == SSL_ERROR_SYSCALL || code == SSL_ERROR_ZERO_RETURN) {
            copy_text(error, error_capacity, "the peer closed the connection during the TLS handshake");
        } else if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
            copy_text(error, error_capacity, "the TLS handshake timed out");
        } else if (detail != 0) {
            char text[256];
            ERR_error_string_n(detail, text, sizeof text);
            snprintf(error, error_capacity, "TLS handshake failed: %s", text);
        } else {
            copy_text(error, error_capacity, "TLS handshake failed");
        }
        SSL_free(ssl);
        SSL_CTX_free(context);
        return NULL;
    }
    rl_tls *tls = calloc(1, sizeof *tls);
    if (tls == NULL) {
        SSL_free(ssl);
        SSL_CTX_free(context);
        copy_text(error, error_capacity, "out of memory");
        return NULL;
    }
    tls->context = context;
    tls->ssl = ssl;
    tls->certificate = SSL_get1_peer_certificate(ssl);
    return tls;
}

long rl_tls_read(rl_tls *tls, void *buffer, size_t capacity) {
    ERR_clear_error();
    errno = 0;
    int result = SSL_read(tls->ssl, buffer, (int)(capacity > 1 << 30 ? 1 << 30 : capacity));
    if (result > 0) return result;
    return failure(tls->ssl, result);
}

long rl_tls_write(rl_tls *tls, const void *buffer, size_t length) {
    size_t written = 0;
    while (written < length) {
        ERR_clear_error();
        errno = 0;
        size_t chunk = length - written > 1 << 30 ? 1 << 30 : length - written;
        int result = SSL_write(tls->ssl, (const char *)buffer + written, (int)chunk);
        if (result <= 0) {
            long code = failure(tls->ssl, result);
            return code == 0 ? -EPIPE : code;
        }
        written += (size_t)result;
    }
    return (long)written;
}

void rl_tls_free(rl_tls *tls) {
    if (tls == NULL) return;
    SSL_shutdown(tls->ssl);
    if (tls->certificate) X509_free(tls->certificate);
    SSL_free(tls->ssl);
    SSL_CTX_free(tls->context);
    free(tls);
}

const char *rl_tls_protocol(const rl_tls *tls) { return SSL_get_version(tls->ssl); }

const char *rl_tls_cipher(const rl_tls *tls) {
    const SSL_CIPHER *cipher = SSL_get_current_cipher(tls->ssl);
    return cipher ? SSL_CIPHER_standard_name(cipher) : "";
}

static int name_text(X509_NAME *name, char *text, size_t capacity) {
    if (name == NULL || capacity == 0) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    int length = BIO_read(bio, text, (int)capacity - 1);
    text[length > 0 ? length : 0] = 0;
    BIO_free(bio);
    return length > 0;
}

int rl_tls_subject(const rl_tls *tls, char *text, size_t capacity) {
    return tls->certificate ? name_text(X509_get_subject_name(tls->certificate), text, capacity) : 0;
}

int rl_tls_issuer(const rl_tls *tls, char *text, size_t capacity) {
    return tls->certificate ? name_text(X509_get_issuer_name(tls->certificate), text, capacity) : 0;
}

long long rl_tls_not_after(const rl_tls *tls) {
    if (tls->certificate == NULL) return 0;
    const ASN1_TIME *notAfter = X509_get0_notAfter(tls->certificate);
    struct tm parsed;
    if (notAfter == NULL || ASN1_TIME_to_tm(notAfter, &parsed) != 1) return 0;
    return (long long)timegm(&parsed);
}

int rl_tls_trusted(const rl_tls *tls, char *reason, size_t capacity) {
    long result = SSL_get_verify_result(tls->ssl);
    copy_text(reason, capacity, result == X509_V_OK ? "" : X509_verify_cert_error_string(result));
    return result == X509_V_OK && tls->certificate != NULL;
}

int rl_tls_matches_host(const rl_tls *tls, const char *host) {
    if (tls->certificate == NULL || host == NULL) return 0;
    if (is_ip_address(host)) return X509_check_ip_asc(tls->certificate, host, 0) == 1;
    return X509_check_host(tls->certificate, host, strlen(host), 0, NULL) == 1;
}
