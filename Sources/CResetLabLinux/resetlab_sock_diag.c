#include "resetlab_sock_diag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// The kernel's TCP states (include/net/tcp_states.h); NEW_SYN_RECV is not in the C library's headers.
enum { RL_TCP_TIME_WAIT = 6, RL_TCP_NEW_SYN_RECV = 12 };

int rl_diag_open(void) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) return -errno;
    struct timeval timeout = {.tv_sec = 1, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    return fd;
}

int rl_diag_close(int fd) { return close(fd) == 0 ? 0 : -errno; }

static void copy_message(const struct inet_diag_msg *message, rl_diag_socket *out) {
    memset(out, 0, sizeof(*out));
    out->family = message->idiag_family;
    out->state = message->idiag_state;
    out->local_port = ntohs(message->id.idiag_sport);
    out->remote_port = ntohs(message->id.idiag_dport);
    size_t length = message->idiag_family == AF_INET ? 4 : 16;
    memcpy(out->local_address, message->id.idiag_src, length);
    memcpy(out->remote_address, message->id.idiag_dst, length);
    out->uid = message->idiag_uid;
    out->inode = message->idiag_inode;
}

static int send_request(int fd, struct inet_diag_req_v2 *request, uint16_t flags) {
    struct {
        struct nlmsghdr header;
        struct inet_diag_req_v2 body;
    } message;
    memset(&message, 0, sizeof(message));
    message.header.nlmsg_len = sizeof(message);
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | flags;
    message.body = *request;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    ssize_t sent;
    do {
        sent = sendto(fd, &message, sizeof(message), 0, (struct sockaddr *)&kernel, sizeof(kernel));
    } while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : 0;
}

/// Reads replies until NLMSG_DONE or an error, copying up to `capacity` sockets to `out`. Returns the
/// number of sockets, or -errno.
static int receive_replies(int fd, rl_diag_socket *out, int capacity) {
    // Aligned for nlmsghdr; 64 KB holds about 600 sockets per read.
    static __thread uint64_t buffer[8192];
    int count = 0;
    for (;;) {
        ssize_t length = recv(fd, buffer, sizeof(buffer), 0);
        if (length < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (length == 0) return -EIO;
        for (struct nlmsghdr *header = (struct nlmsghdr *)buffer; NLMSG_OK(header, (size_t)length);
             header = NLMSG_NEXT(header, length)) {
            if (header->nlmsg_type == NLMSG_DONE) return count;
            if (header->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *error = NLMSG_DATA(header);
                if (error->error == 0) return count;
                return error->error;  // already negative
            }
            if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
            if (header->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) continue;
            if (count < capacity) copy_message(NLMSG_DATA(header), &out[count]);
            count += 1;
        }
    }
}

int rl_diag_dump(int fd, int family, rl_diag_socket *out, int capacity) {
    struct inet_diag_req_v2 request;
    memset(&request, 0, sizeof(request));
    request.sdiag_family = (uint8_t)family;
    request.sdiag_protocol = IPPROTO_TCP;
    // TIME_WAIT and SYN_RECV request sockets have no inode, so no process: a busy server keeps tens of
    // thousands of the first, and leaving them to the kernel keeps each read of the table short.
    request.idiag_states = ~0U & ~(1U << RL_TCP_TIME_WAIT) & ~(1U << RL_TCP_NEW_SYN_RECV);
    int status = send_request(fd, &request, NLM_F_DUMP);
    if (status < 0) return status;
    return receive_replies(fd, out, capacity);
}
