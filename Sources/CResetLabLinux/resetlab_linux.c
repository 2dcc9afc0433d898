#define _GNU_SOURCE
#include "resetlab_linux.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fail(void) { return -errno; }

static int fill_address(const char *ip, uint16_t port, struct sockaddr_in *address) {
    memset(address, 0, sizeof(*address));
    address->sin_family = AF_INET;
    address->sin_port = htons(port);
    return inet_pton(AF_INET, ip, &address->sin_addr) == 1 ? 0 : -EINVAL;
}

int rl_tcp_listen(const char *ip, uint16_t port, int backlog, uint16_t *bound_port) {
    struct sockaddr_in address;
    int status = fill_address(ip, port, &address);
    if (status < 0) return status;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail();
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 || listen(fd, backlog) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    socklen_t length = sizeof(address);
    getsockname(fd, (struct sockaddr *)&address, &length);
    if (bound_port) *bound_port = ntohs(address.sin_port);
    return fd;
}

int rl_tcp_connect(const char *ip, uint16_t port, int syn_retries, int user_timeout_ms) {
    struct sockaddr_in address;
    int status = fill_address(ip, port, &address);
    if (status < 0) return status;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail();
    if (syn_retries > 0) setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syn_retries, sizeof(syn_retries));
    if (user_timeout_ms > 0) setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof(user_timeout_ms));
    if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int rl_tcp_accept(int listener) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    return fd < 0 ? fail() : fd;
}

ssize_t rl_send(int fd, const void *buffer, size_t length) {
    ssize_t written = send(fd, buffer, length, MSG_NOSIGNAL);
    return written < 0 ? fail() : written;
}

ssize_t rl_recv(int fd, void *buffer, size_t capacity) {
    ssize_t received = recv(fd, buffer, capacity, 0);
    return received < 0 ? fail() : received;
}

int rl_shutdown_write(int fd) { return shutdown(fd, SHUT_WR) < 0 ? fail() : 0; }

int rl_close(int fd) { return close(fd) < 0 ? fail() : 0; }

int rl_set_linger(int fd, int on, int seconds) {
    struct linger value = {.l_onoff = on, .l_linger = seconds};
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof(value)) < 0 ? fail() : 0;
}

int rl_set_receive_timeout(int fd, int milliseconds) {
    struct timeval value = {.tv_sec = milliseconds / 1000, .tv_usec = (milliseconds % 1000) * 1000};
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof(value)) < 0 ? fail() : 0;
}

int rl_set_user_timeout(int fd, int milliseconds) {
    return setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &milliseconds, sizeof(milliseconds)) < 0 ? fail() : 0;
}

int rl_tcp_state(int fd) {
    struct tcp_info info;
    socklen_t length = sizeof(info);
    memset(&info, 0, sizeof(info));
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) < 0) return fail();
    return info.tcpi_state;
}

int rl_local_port(int fd) {
    struct sockaddr_in address;
    socklen_t length = sizeof(address);
    if (getsockname(fd, (struct sockaddr *)&address, &length) < 0) return fail();
    return ntohs(address.sin_port);
}

const char *rl_errno_name(int error) { return strerrorname_np(error); }

// Asks the kernel to stamp each packet with the time it saw it (read back by rl_packet_read). Best effort:
// without it, packets are stamped when read.
static void stamp_packets(int fd) {
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
}

int rl_packet_open(const char *interface_name, uint16_t port) {
    unsigned int index = if_nametoindex(interface_name);
    if (index == 0) return fail();
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0) return fail();
    // Offsets are from the IPv4 header (cooked socket). Jumps are relative to the next instruction;
    // instruction 14 accepts, 15 drops.
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),  // 0: packet type
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 13),       // 1: leaving copy only
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),                             // 2: version and IHL
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),                         // 3
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, 10),                  // 4: IPv4
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                             // 5: protocol
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 8),            // 6: TCP
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                             // 7: flags and fragment offset
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 6, 0),                // 8: not a later fragment
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                            // 9: X = IP header length
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),                             // 10: source port
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 2, 0),                   // 11
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                             // 12: destination port
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),                   // 13
        BPF_STMT(BPF_RET | BPF_K, 262144),                                 // 14: accept
        BPF_STMT(BPF_RET | BPF_K, 0),                                      // 15: drop
    };
    struct sock_fprog program = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    int buffer = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer)) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    }
    stamp_packets(fd);
    struct sockaddr_ll address;
    memset(&address, 0, sizeof(address));
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = (int)index;
    if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int rl_packet_open_from_port(uint16_t port) {
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
    if (fd < 0) return fail();
    // Offsets are from the IP header (cooked socket): IPv4 with any header length, IPv6 with TCP as its
    // next header (no extension headers). Instruction 15 accepts, 16 drops.
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),  // 0: packet type
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_HOST, 0, 14),           // 1: arriving for us
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),                             // 2: version and IHL
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),                         // 3
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, 5),                   // 4: IPv4, else 10
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                             // 5: protocol
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 9),            // 6: TCP
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                            // 7: X = IP header length
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),                             // 8: source port
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 5, 6),                   // 9
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x60, 0, 5),                   // 10: IPv6
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),                             // 11: next header
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 3),            // 12: TCP
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 40),                            // 13: source port
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),                   // 14
        BPF_STMT(BPF_RET | BPF_K, 128),                                    // 15: accept (headers)
        BPF_STMT(BPF_RET | BPF_K, 0),                                      // 16: drop
    };
    struct sock_fprog program = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    int buffer = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer)) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    }
    stamp_packets(fd);
    return fd;
}

ssize_t rl_packet_read(int fd, uint8_t *buffer, size_t capacity, int *packet_type, int64_t *nanoseconds) {
    struct sockaddr_ll from;
    struct iovec part = {.iov_base = buffer, .iov_len = capacity};
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {
        .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &part, .msg_iovlen = 1,
        .msg_control = control.bytes, .msg_controllen = sizeof(control.bytes),
    };
    ssize_t received = recvmsg(fd, &message, 0);
    if (received < 0) return fail();
    struct timespec stamp;
    int stamped = 0;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
            memcpy(&stamp, CMSG_DATA(header), sizeof(stamp));
            stamped = 1;
        }
    }
    if (!stamped) clock_gettime(CLOCK_REALTIME, &stamp);
    if (packet_type) *packet_type = from.sll_pkttype;
    if (nanoseconds) *nanoseconds = (int64_t)stamp.tv_sec * 1000000000 + stamp.tv_nsec;
    return received;
}

int rl_wait_readable(int first, int second, int timeout_ms) {
    struct pollfd fds[2] = {{.fd = first, .events = POLLIN}, {.fd = second, .events = POLLIN}};
    int count = second >= 0 ? 2 : 1;
    int ready = poll(fds, count, timeout_ms);
    if (ready < 0) return fail();
    int mask = 0;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) mask |= 1;
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) mask |= 2;
    return mask;
}

int rl_die_with_parent(void) { return prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ? fail() : 0; }

int64_t rl_monotonic_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t rl_realtime_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

// The pipe the signal handler writes to. A handler can only reach what is global; it is set once, before
// the handler is installed, and never changed after.
static int caught_signals_read = -1;
static int caught_signals_write = -1;

static void note_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    (void)!write(caught_signals_write, &byte, 1);
    errno = saved;
}

int rl_catch_signals(const int *signals, int count) {
    if (caught_signals_write < 0) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0) return fail();
        // A full pipe drops further signals instead of blocking the handler.
        fcntl(fds[1], F_SETFL, O_NONBLOCK);
        caught_signals_read = fds[0];
        caught_signals_write = fds[1];
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigset_t wanted;
    sigemptyset(&wanted);
    for (int index = 0; index < count; index++) {
        if (sigaction(signals[index], &action, NULL) < 0) return fail();
        sigaddset(&wanted, signals[index]);
    }
    // A parent may have started us with these blocked (a blocked mask is inherited): unblocked in this
    // thread, and in the threads it starts from now on, the handler runs.
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    return caught_signals_read;
}
