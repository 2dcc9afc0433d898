// Makes the kernel send RSTs on loopback as fast as asked: blocking connects to a port that is bound but
// never listens (each is answered by a RST, reason NO_SOCKET, within the connect call).
// Usage: reset-storm PORT RATE SECONDS   (RATE connects per second, paced per millisecond; PORT 0: bind
// one on 127.0.0.1 that never listens)
// Prints: "port P" at once, then "resets N seconds S rate R unexpected U" (R = connects per second achieved,
// U = connects that were not refused).
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time.tv_sec + time.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: reset-storm PORT RATE SECONDS\n");
        return 2;
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (address.sin_port == 0) {
        // Bound, never listening: every connect to it is refused. Kept open until the end.
        int holder = socket(AF_INET, SOCK_STREAM, 0);
        socklen_t length = sizeof(address);
        if (holder < 0 || bind(holder, (struct sockaddr *)&address, sizeof(address)) != 0 ||
            getsockname(holder, (struct sockaddr *)&address, &length) != 0) {
            perror("bind");
            return 1;
        }
    }
    printf("port %d\n", ntohs(address.sin_port));
    fflush(stdout);
    double rate = atof(argv[2]), seconds = atof(argv[3]);
    long target = (long)(rate * seconds), done = 0, unexpected = 0;
    double start = now();
    while (done < target) {
        // Stay on schedule: never ahead of RATE; behind it, catch up at full speed.
        double due = start + done / rate;
        double wait = due - now();
        if (wait > 0.0005) usleep((useconds_t)(wait * 1e6));
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) { perror("socket"); return 1; }
        if (connect(fd, (struct sockaddr *)&address, sizeof(address)) == 0 || errno != ECONNREFUSED) unexpected += 1;
        close(fd);
        done += 1;
    }
    double elapsed = now() - start;
    printf("resets %ld seconds %.3f rate %.0f unexpected %ld\n", done, elapsed, done / elapsed, unexpected);
    return unexpected == 0 ? 0 : 1;
}
