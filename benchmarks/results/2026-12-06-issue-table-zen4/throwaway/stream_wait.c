/* Throwaway: a one-way TCP loopback stream of SIZE-byte messages, the reader waiting three ways between messages:
 * spinning on non-blocking read() (as the floor does), spinning on poll(timeout 0) then read(), spinning on
 * epoll_wait(timeout 0) then read(). Prints ns per message. Usage: stream_wait MODE SIZE COUNT CPU_W CPU_R */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); sched_setaffinity(0, sizeof s, &s); }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

int main(int argc, char **argv) {
    const char *mode = argv[1];
    size_t size = atoi(argv[2]);
    long count = atol(argv[3]);
    int one = 1;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(l, (struct sockaddr *)&a, sizeof a); listen(l, 1); getsockname(l, (struct sockaddr *)&a, &al);
    pid_t child = fork();
    if (child == 0) {
        pin(atoi(argv[4]));
        int c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&a, sizeof a);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(c, F_SETFL, O_NONBLOCK);
        char *buf = calloc(1, size);
        for (long i = 0; i < count; i++) {
            size_t done = 0;
            while (done < size) { ssize_t k = write(c, buf + done, size - done); if (k > 0) done += k; }
        }
        char b; fcntl(c, F_SETFL, 0); read(c, &b, 1);
        _exit(0);
    }
    pin(atoi(argv[5]));
    int s = accept(l, NULL, NULL);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(s, F_SETFL, O_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s}, out[1];
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    char *buf = malloc(size);
    long empty = 0, waits = 0;
    double t0 = now();
    for (long i = 0; i < count; i++) {
        size_t got = 0;
        while (got < size) {
            if (mode[0] == 'p') { struct pollfd p = {s, POLLIN, 0}; while (poll(&p, 1, 0) == 0) waits++; }
            else if (mode[0] == 'e') { while (epoll_wait(ep, out, 1, 0) == 0) waits++; }
            ssize_t k = read(s, buf + got, size - got);
            if (k > 0) got += k; else empty++;
        }
    }
    double t = now() - t0;
    write(s, "x", 1);
    waitpid(child, NULL, 0);
    printf("%s %zu B: %.0f ns per message, %.2f empty reads and %.2f empty waits per message\n", mode, size,
           t / count, (double)empty / count, (double)waits / count);
    return 0;
}
