// Thin wrappers over Linux socket calls for ResetLab's lab. Every function returns a non-negative
// result on success and -errno on failure, so Swift callers never read the thread-local errno.
#ifndef RESETLAB_LINUX_H
#define RESETLAB_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Opens a TCP socket bound to ip:port (port 0 picks one), listening. Writes the bound port.
int rl_tcp_listen(const char *ip, uint16_t port, int backlog, uint16_t *bound_port);
/// Opens a TCP socket and connects it (blocking). `syn_retries` > 0 sets TCP_SYNCNT first.
int rl_tcp_connect(const char *ip, uint16_t port, int syn_retries, int user_timeout_ms);
/// Accepts one connection (blocking).
int rl_tcp_accept(int listener);
/// send() with MSG_NOSIGNAL: returns bytes written.
ssize_t rl_send(int fd, const void *buffer, size_t length);
/// recv(): returns bytes read, 0 at end of stream.
ssize_t rl_recv(int fd, void *buffer, size_t capacity);
int rl_shutdown_write(int fd);
int rl_close(int fd);
/// SO_LINGER {on, seconds}.
int rl_set_linger(int fd, int on, int seconds);
/// SO_RCVTIMEO in milliseconds (0 = wait forever).
int rl_set_receive_timeout(int fd, int milliseconds);
/// TCP_USER_TIMEOUT in milliseconds.
int rl_set_user_timeout(int fd, int milliseconds);
/// The socket's TCP state from getsockopt(TCP_INFO) (tcpi_state, as in include/net/tcp_states.h).
int rl_tcp_state(int fd);
/// The local port of a socket.
int rl_local_port(int fd);
/// The errno's symbolic name ("ECONNRESET"), or NULL.
const char *rl_errno_name(int error);

/// Opens an AF_PACKET socket (cooked) bound to the interface. A kernel BPF filter keeps only the leaving
/// copy of unfragmented IPv4 TCP segments to or from `port`, and the receive buffer is enlarged, so a busy
/// interface cannot crowd the scenario's segments out of the socket.
int rl_packet_open(const char *interface_name, uint16_t port);
/// Opens an AF_PACKET socket (cooked) on every interface that keeps only arriving (PACKET_HOST) TCP segments
/// over IPv4 or IPv6 (no extension headers) whose source port is `port`: what a remote server, or a device
/// pretending to be it, sends us.
int rl_packet_open_from_port(uint16_t port);
/// Reads one packet starting at the network header. Writes the packet type (PACKET_HOST,
/// PACKET_OUTGOING, ...) and, in nanoseconds since the epoch, the time the kernel saw the packet (the
/// time of the read if the kernel gave none).
ssize_t rl_packet_read(int fd, uint8_t *buffer, size_t capacity, int *packet_type, int64_t *nanoseconds);
/// Waits until one of two descriptors is readable. Returns a bit mask (1: first, 2: second), 0 on timeout.
int rl_wait_readable(int first, int second, int timeout_ms);
/// Catches `signals` from now on (installed at once, process-wide: none is lost, however soon it comes): each
/// one caught writes its number as one byte to a pipe, whose read end is returned (the same for every call;
/// one reader per process). Their default actions no longer happen. They are unblocked in the calling thread
/// (and so in the threads it starts afterwards), in case the parent started this process with them blocked.
int rl_catch_signals(const int *signals, int count);

/// Asks the kernel to SIGKILL this process when its parent dies, so agents never outlive a run.
int rl_die_with_parent(void);
/// CLOCK_MONOTONIC in nanoseconds.
int64_t rl_monotonic_nanoseconds(void);
/// CLOCK_REALTIME in nanoseconds since the epoch: the clock packet timestamps use.
int64_t rl_realtime_nanoseconds(void);

#endif
