// Small loopback load tools for scripts/bench-proxy (built by the script with the system C compiler):
//   netbench echo PORT                 epoll echo server on 127.0.0.1:PORT (runs until killed)
//   netbench pingpong PORT COUNT SIZE  round trips of SIZE bytes; prints "p50_us p99_us mean_us"
//   netbench hold PORT COUNT           opens COUNT idle connections, prints "ready", holds them until stdin closes
//   netbench relay PORT UPSTREAM       the least a relay does, as a yardstick: one thread, epoll, read then
//                                      write; each connection on PORT is joined to a new one to UPSTREAM and
//                                      both close when either side ends (runs until killed)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int dial(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) { perror("connect"); exit(1); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

// Runs an epoll loop on 127.0.0.1:PORT until killed: each accepted connection (non-blocking) is handed to
// `accepted` with the epoll descriptor, each readable one to `readable`.
static int serve(int port, void (*accepted)(int ep, int fd), void (*readable)(int fd)) {
    int one = 1, listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = loopback(port);
    if (bind(listener, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(listener, 4096) < 0) { perror("listen"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd != listener) { readable(fd); continue; }
            int c;
            while ((c = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                accepted(ep, c);
            }
        }
    }
}

static void watch_readable(int ep, int fd) {
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static char buffer[1 << 16];

static void echo_back(int fd) {
    ssize_t r = recv(fd, buffer, sizeof(buffer), 0);
    if (r <= 0) { if (r == 0 || errno != EAGAIN) close(fd); return; }
    for (ssize_t off = 0; off < r;) {
        ssize_t w = send(fd, buffer + off, (size_t)(r - off), MSG_NOSIGNAL);
        if (w < 0) { if (errno == EAGAIN) continue; close(fd); return; }
        off += w;
    }
}

// The relay: each socket's other side, by descriptor, and where new connections are joined to.
static int peer[1 << 16];
static int relay_upstream;

static void join_upstream(int ep, int fd) {
    int u = dial(relay_upstream);
    if (fd >= (1 << 16) || u >= (1 << 16)) { close(fd); close(u); return; }
    peer[fd] = u;
    peer[u] = fd;
    watch_readable(ep, fd);
    watch_readable(ep, u);
}

// Blocking writes are fine for a yardstick that carries small round trips.
static void forward(int fd) {
    ssize_t r = recv(fd, buffer, sizeof(buffer), 0);
    if (r < 0 && errno == EAGAIN) return;
    int other = peer[fd];
    for (ssize_t off = 0; r > 0 && off < r;) {
        ssize_t w = send(other, buffer + off, (size_t)(r - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EAGAIN) continue;
        if (w < 0) { r = -1; break; }
        off += w;
    }
    if (r <= 0) { close(fd); close(other); }
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int pingpong(int port, int count, int size) {
    int fd = dial(port);
    char *buffer = calloc(1, (size_t)size);
    int64_t *samples = calloc((size_t)count, sizeof(int64_t));
    for (int i = -count / 10; i < count; i++) {  // the first tenth warms up and is not recorded
        int64_t start = now_ns();
        if (send(fd, buffer, (size_t)size, 0) != size) { perror("send"); return 1; }
        for (int got = 0; got < size;) {
            ssize_t r = recv(fd, buffer + got, (size_t)(size - got), 0);
            if (r <= 0) { perror("recv"); return 1; }
            got += (int)r;
        }
        if (i >= 0) samples[i] = now_ns() - start;
    }
    qsort(samples, (size_t)count, sizeof(int64_t), compare);
    double sum = 0;
    for (int i = 0; i < count; i++) sum += (double)samples[i];
    printf("%.1f %.1f %.1f\n", samples[count / 2] / 1e3, samples[(count * 99) / 100] / 1e3, sum / count / 1e3);
    return 0;
}

static int hold(int port, int count) {
    int *fds = calloc((size_t)count, sizeof(int));
    for (int i = 0; i < count; i++) fds[i] = dial(port);
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {}
    for (int i = 0; i < count; i++) close(fds[i]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "echo") == 0) return serve(atoi(argv[2]), watch_readable, echo_back);
    if (argc >= 5 && strcmp(argv[1], "pingpong") == 0) return pingpong(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    if (argc >= 4 && strcmp(argv[1], "hold") == 0) return hold(atoi(argv[2]), atoi(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "relay") == 0) {
        relay_upstream = atoi(argv[3]);
        return serve(atoi(argv[2]), join_upstream, forward);
    }
    fprintf(stderr, "usage: netbench echo PORT | pingpong PORT COUNT SIZE | hold PORT COUNT | relay PORT UPSTREAM\n");
    return 2;
}
