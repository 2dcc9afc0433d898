#define _GNU_SOURCE
#include "resetlab_reset_capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/// The most packets one read takes.
#define RL_RESET_CAPTURE_BATCH 64

static int fail_closing(int fd, int *failed_step, int step) {
    int error = errno;
    close(fd);
    if (failed_step) *failed_step = step;
    return -error;
}

int rl_reset_capture_open(int buffer_bytes, int *failed_step) {
    // Protocol 0: the socket receives nothing until bind() below names ETH_P_ALL, by which time the filter
    // is in place.
    int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        if (failed_step) *failed_step = RL_RESET_CAPTURE_STEP_SOCKET;
        return -errno;
    }
    // Offsets are from the IP header (cooked socket). Jumps are relative to the next instruction;
    // instruction 18 accepts, 19 drops.
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),  // 0: packet type
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_HOST, 1, 0),            // 1: arriving for this host
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 16),       // 2: or leaving it
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),                             // 3: version and IHL
        BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),                            // 4: version
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 5, 0),                      // 5: IPv4 at 11
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 12),                     // 6: IPv6
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),                             // 7: next header
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 10),           // 8: TCP
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40 + 13),                       // 9: TCP flags
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x04, 7, 8),                  // 10: RST
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                             // 11: protocol
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 6),            // 12: TCP
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                             // 13: flags and fragment offset
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),                // 14: not a fragment
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                            // 15: X = IP header length
        BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),                            // 16: TCP flags
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x04, 0, 1),                  // 17: RST
        BPF_STMT(BPF_RET | BPF_K, 160),                                    // 18: accept the headers
        BPF_STMT(BPF_RET | BPF_K, 0),                                      // 19: drop
    };
    struct sock_fprog program = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) < 0) {
        return fail_closing(fd, failed_step, RL_RESET_CAPTURE_STEP_FILTER);
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
        return fail_closing(fd, failed_step, RL_RESET_CAPTURE_STEP_TIMESTAMPS);
    }
    if (buffer_bytes > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer_bytes, sizeof(buffer_bytes)) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof(buffer_bytes));
    }
    struct sockaddr_ll address;
    memset(&address, 0, sizeof(address));
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = 0;  // every interface
    if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
        return fail_closing(fd, failed_step, RL_RESET_CAPTURE_STEP_BIND);
    }
    return fd;
}

int rl_reset_capture_read(int fd, uint8_t *buffer, size_t slot_size, int count, int32_t *lengths,
                          int32_t *packet_types, int32_t *interfaces, int64_t *nanoseconds) {
    if (count > RL_RESET_CAPTURE_BATCH) count = RL_RESET_CAPTURE_BATCH;
    if (count <= 0) return 0;
    struct mmsghdr messages[RL_RESET_CAPTURE_BATCH];
    struct iovec vectors[RL_RESET_CAPTURE_BATCH];
    struct sockaddr_ll sources[RL_RESET_CAPTURE_BATCH];
    // Room for one SCM_TIMESTAMPNS control message per packet.
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } controls[RL_RESET_CAPTURE_BATCH];
    memset(messages, 0, sizeof(messages[0]) * (size_t)count);
    for (int i = 0; i < count; i++) {
        vectors[i].iov_base = buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &sources[i];
        messages[i].msg_hdr.msg_namelen = sizeof(sources[i]);
        messages[i].msg_hdr.msg_control = controls[i].bytes;
        messages[i].msg_hdr.msg_controllen = sizeof(controls[i].bytes);
    }
    int received = recvmmsg(fd, messages, (unsigned int)count, MSG_DONTWAIT, NULL);
    if (received < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
    for (int i = 0; i < received; i++) {
        lengths[i] = (int32_t)messages[i].msg_len;
        packet_types[i] = sources[i].sll_pkttype;
        interfaces[i] = sources[i].sll_ifindex;
        nanoseconds[i] = 0;
        for (struct cmsghdr *control = CMSG_FIRSTHDR(&messages[i].msg_hdr); control != NULL;
             control = CMSG_NXTHDR(&messages[i].msg_hdr, control)) {
            if (control->cmsg_level == SOL_SOCKET && control->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec stamp;
                memcpy(&stamp, CMSG_DATA(control), sizeof(stamp));
                nanoseconds[i] = (int64_t)stamp.tv_sec * 1000000000 + stamp.tv_nsec;
            }
        }
    }
    return received;
}

int64_t rl_reset_capture_drops(int fd) {
    struct tpacket_stats statistics;
    socklen_t length = sizeof(statistics);
    if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &statistics, &length) < 0) return -errno;
    return statistics.tp_drops;
}

int rl_reset_capture_wait(int fd, int timeout_ms) {
    struct pollfd poller = {.fd = fd, .events = POLLIN};
    int ready = poll(&poller, 1, timeout_ms);
    if (ready < 0) return errno == EINTR ? 0 : -errno;
    return ready > 0 ? 1 : 0;
}
