// Capturing TCP resets with AF_PACKET, for `resetlab watch` when tracefs is out of reach. Every function
// returns a non-negative result on success and -errno on failure.
#ifndef RESETLAB_RESET_CAPTURE_H
#define RESETLAB_RESET_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/// Where `rl_reset_capture_open` failed, for the error message.
enum {
    RL_RESET_CAPTURE_STEP_SOCKET = 1,
    RL_RESET_CAPTURE_STEP_FILTER = 2,
    RL_RESET_CAPTURE_STEP_TIMESTAMPS = 3,
    RL_RESET_CAPTURE_STEP_BIND = 4,
};

/// Opens a non-blocking AF_PACKET socket (cooked: packets start at the IP header) on every interface. A
/// classic BPF filter in the kernel keeps only TCP segments with RST set, IPv4 (unfragmented) and IPv6 (TCP
/// right after the fixed header), arriving for this host (PACKET_HOST) or leaving it (PACKET_OUTGOING), cut
/// to their first 160 bytes; so the process is woken for resets only. Kernel receive timestamps are on, and
/// the receive buffer is `buffer_bytes` (SO_RCVBUFFORCE, else SO_RCVBUF up to net.core.rmem_max). The
/// filter is attached before the socket is bound, so not one unfiltered packet is queued. On failure,
/// `failed_step` (when not NULL) says which RL_RESET_CAPTURE_STEP_* failed.
int rl_reset_capture_open(int buffer_bytes, int *failed_step);

/// Reads up to `count` (at most 64) queued packets without waiting, packet i into
/// `buffer + i * slot_size`. Writes each one's captured length, packet type (PACKET_HOST,
/// PACKET_OUTGOING), interface index and kernel timestamp (nanoseconds since the epoch, CLOCK_REALTIME; 0
/// when the kernel gave none). Returns how many were read: 0 when none was queued.
int rl_reset_capture_read(int fd, uint8_t *buffer, size_t slot_size, int count, int32_t *lengths,
                          int32_t *packet_types, int32_t *interfaces, int64_t *nanoseconds);

/// Packets the kernel dropped for want of room in the receive buffer since the last call (the counter
/// resets on reading).
int64_t rl_reset_capture_drops(int fd);

/// Waits up to `timeout_ms` for the descriptor to become readable: 1 when it is, 0 on timeout.
int rl_reset_capture_wait(int fd, int timeout_ms);

#endif
