/*
 * The loopback floor for two-way exchanges: two processes (fork) on loopback, each sending SIZE bytes to the other
 * and receiving SIZE bytes at the same time, single-threaded: non-blocking write of what the socket takes, read of
 * what has arrived. This is what a 2-rank alltoall or allgather of SIZE bytes per rank must do at least. Each size
 * runs over one TCP connection waiting in poll() when neither direction moved (system tcp-exchange), then over a
 * connection per direction (tcp-exchange-split), since two bulk streams crossing on one socket are slower; sizes
 * below 64 KiB also run over one connection without ever sleeping (tcp-exchange-spin), the way jfmi's and Open MPI's
 * ranks wait for small messages: the floor for their small exchanges (a 2-rank barrier is one of a few bytes).
 * Those sizes also run a one-way stream that spins (tcp-stream-spin): the child writes SIZE bytes per call
 * and the parent reads them, as a 2-rank reduce's leaf and root do; the sender runs ahead as far as the socket
 * takes. Both sides time their calls and print a PART line each (the harness averages the means).
 * usage: tcp_exchange SIZES ITERATIONS WARMUP [PARENT_CPU,CHILD_CPU]
 *   SIZES comma-separated bytes; one RESULT line per size and two-way pass, a PART line per side for the stream.
 *   With the CPUs, each process runs on its own.
 */
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A failed read or write other than "try again" ends the run (a dead peer must not leave the other side spinning). */
static void check(ssize_t k, int reading) {
    if (k == 0 && reading) { fprintf(stderr, "tcp_exchange: peer closed\n"); exit(2); }
    if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { perror(reading ? "read" : "write"); exit(2); }
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Writes to wfd and reads from rfd (the same connection, or one per direction); spin: never sleep in poll(). */
static void exchange(int wfd, int rfd, const char *out, char *in, size_t n, int spin) {
    size_t sent = 0, got = 0;
    while (sent < n || got < n) {
        int moved = 0;
        if (sent < n) {
            ssize_t w = write(wfd, out + sent, n - sent);
            if (w > 0) { sent += (size_t)w; moved = 1; }
            else check(w, 0);
        }
        if (got < n) {
            ssize_t r = read(rfd, in + got, n - got);
            if (r > 0) { got += (size_t)r; moved = 1; }
            else check(r, 1);
        }
        if (!moved && !spin) {
            struct pollfd p[2] = {{wfd, (short)(sent < n ? POLLOUT : 0), 0}, {rfd, (short)(got < n ? POLLIN : 0), 0}};
            poll(p, 2, 1000);
        }
    }
}

/* One call of the stream pass: write n bytes (sender) or read n bytes (receiver), spinning on a full or empty
 * socket. */
static void stream(int fd, char *buf, size_t n, int sender) {
    size_t done = 0;
    while (done < n) {
        ssize_t k = sender ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
        if (k > 0) done += (size_t)k;
        else check(k, !sender);
    }
}

static void print_stats(const char *kind, const char *system, const char *op, int rank, size_t n, double *lat,
                        int it, double sum) {
    qsort(lat, it, sizeof(double), cmp_double);
    printf("%s {\"system\":\"%s\",\"ranks\":2,\"rank\":%d,\"op\":\"%s\",\"bytes\":%zu,\"iterations\":%d,"
           "\"mean_us\":%.3f,\"p50_us\":%.3f,\"p99_us\":%.3f}\n", kind, system, rank,
           op, n, it, sum / it, lat[it / 2], lat[(int)(it * 0.99)]);
    fflush(stdout);
}

static int dial(const struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (const struct sockaddr *)a, sizeof *a)) { perror("connect"); exit(2); }
    return fd;
}

static void tune(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: tcp_exchange SIZES ITERATIONS WARMUP [PARENT_CPU,CHILD_CPU]\n");
        return 64;
    }
    int iters = atoi(argv[2]), warmup = atoi(argv[3]);
    int cpus[2] = {-1, -1};
    if (argc == 5 && sscanf(argv[4], "%d,%d", &cpus[0], &cpus[1]) != 2) {
        fprintf(stderr, "tcp_exchange: CPUs must read PARENT_CPU,CHILD_CPU, got '%s'\n", argv[4]);
        return 64;
    }
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 2)) { perror("bind"); return 2; }
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    pid_t child = fork();
    /* first: the shared connection, and the child's reading one when split; second: the parent's reading one */
    int first, second;
    if (child == 0) {
        first = dial(&a);
        second = dial(&a);
    } else {
        first = accept(ls, NULL, NULL);
        second = accept(ls, NULL, NULL);
    }
    tune(first);
    tune(second);
    /* bound once connected: a process that cannot bind exits, and its peer reads the end of the stream */
    int cpu = cpus[child == 0 ? 1 : 0];
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set)) { perror("sched_setaffinity"); return 2; }
    }
    char *sizes = strdup(argv[1]);
    for (char *tok = strtok(sizes, ","); tok; tok = strtok(NULL, ",")) {
        size_t n = (size_t)atol(tok);
        /* the same budget as the other programs: at most 256 MiB warming up and 1 GiB timed, each way */
        int w = warmup, it = iters;
        if ((double)w * n > 256.0 * (1 << 20)) w = (int)((256.0 * (1 << 20)) / n);
        if ((double)it * n > 1024.0 * (1 << 20)) it = (int)((1024.0 * (1 << 20)) / n);
        if (it < 3) it = 3;
        char *out = malloc(n), *in = malloc(n);
        memset(out, 7, n);
        memset(in, 0, n);
        double *lat = malloc(sizeof(double) * it);
        static const char *passes[] = {"tcp-exchange", "tcp-exchange-split", "tcp-exchange-spin",
                                       "tcp-stream-spin"};
        int small = n < 64 * 1024;
        for (int pass = 0; pass < (small ? 4 : 2); pass++) {
            int split = pass == 1, one_way = pass == 3;
            int wfd = split ? (child == 0 ? second : first) : first;
            int rfd = split ? (child == 0 ? first : second) : first;
            double sum = 0;
            for (int i = 0; i < w + it; i++) {
                double t0 = now_us();
                if (one_way) stream(first, child == 0 ? out : in, n, child == 0);
                else exchange(wfd, rfd, out, in, n, pass == 2);
                if (i >= w) { lat[i - w] = now_us() - t0; sum += lat[i - w]; }
            }
            if (one_way) {
                /* both sides report; then a 1-byte exchange, so the next pass starts with the stream drained */
                print_stats("PART", passes[pass], "stream", child == 0 ? 1 : 0, n, lat, it, sum);
                exchange(first, first, out, in, 1, 1);
            } else if (child != 0) {
                print_stats("RESULT", passes[pass], "exchange", 0, n, lat, it, sum);
            }
        }
        free(out);
        free(in);
        free(lat);
    }
    if (child != 0) waitpid(child, NULL, 0);
    return 0;
}
