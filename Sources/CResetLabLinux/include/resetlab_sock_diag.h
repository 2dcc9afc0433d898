// The kernel's TCP socket table through NETLINK_SOCK_DIAG (inet_diag), the way `ss` reads it (much
// faster than parsing /proc/net/tcp). Every function returns a
// non-negative result on success and -errno on failure.
#ifndef RESETLAB_SOCK_DIAG_H
#define RESETLAB_SOCK_DIAG_H

#include <stdint.h>

/// One TCP socket as inet_diag reports it. Addresses are 16 bytes (IPv4 in the first 4), ports in host order.
typedef struct {
    uint8_t family;  // AF_INET or AF_INET6
    uint8_t state;   // tcp_states.h: 1 ESTABLISHED ... 10 LISTEN
    uint16_t local_port;
    uint16_t remote_port;
    uint8_t local_address[16];
    uint8_t remote_address[16];
    uint32_t uid;
    uint32_t inode;  // 0 for sockets no process holds (orphans)
} rl_diag_socket;

/// Opens a NETLINK_SOCK_DIAG socket (needs no privileges).
int rl_diag_open(void);
/// Every TCP socket of `family` in this network namespace that a process can hold (all but TIME_WAIT and
/// SYN_RECV request sockets), up to `capacity` of them written to `out`. Returns how many there are
/// (which may exceed `capacity`: call again with more room).
int rl_diag_dump(int fd, int family, rl_diag_socket *out, int capacity);
int rl_diag_close(int fd);

#endif
