/*
 * The loopback floor for large two-way exchanges: two processes (fork) over one TCP connection on loopback, each
 * sending SIZE bytes to the other and receiving SIZE bytes at the same time, single-threaded: non-blocking write of
 * what the socket takes, read of what has arrived, poll() when neither moved. This is what a 2-rank alltoall or
 * allgather of SIZE bytes per rank must do at least.
 * usage: tcp_exchange SIZES ITERATIONS WARMUP     SIZES comma-separated bytes; one RESULT line per size.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void exchange(int fd, const char *out, char *in, size_t n) {
    size_t sent = 0, got = 0;
    while (sent < n || got < n) {
        int moved = 0;
        if (sent < n) {
            ssize_t w = write(fd, out + sent, n - sent);
            if (w > 0) { sent += (size_t)w; moved = 1; }
        }
        if (got < n) {
            ssize_t r = read(fd, in + got, n - got);
            if (r > 0) { got += (size_t)r; moved = 1; }
            else if (r == 0) { fprintf(stderr, "tcp_exchange: peer closed\n"); exit(2); }
        }
        if (!moved) {
            struct pollfd p = {fd, (short)((sent < n ? POLLOUT : 0) | (got < n ? POLLIN : 0)), 0};
            poll(&p, 1, 1000);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: tcp_exchange SIZES ITERATIONS WARMUP\n"); return 64; }
    int iters = atoi(argv[2]), warmup = atoi(argv[3]), one = 1;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1)) { perror("bind"); return 2; }
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    pid_t child = fork();
    int fd;
    if (child == 0) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 2; }
    } else {
        fd = accept(ls, NULL, NULL);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
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
        double *lat = malloc(sizeof(double) * it), sum = 0;
        for (int i = 0; i < w + it; i++) {
            double t0 = now_us();
            exchange(fd, out, in, n);
            if (i >= w) { lat[i - w] = now_us() - t0; sum += lat[i - w]; }
        }
        if (child != 0) {
            qsort(lat, it, sizeof(double), cmp_double);
            printf("RESULT {\"system\":\"tcp-exchange\",\"ranks\":2,\"op\":\"exchange\",\"bytes\":%zu,\"iterations\":%d,"
                   "\"mean_us\":%.3f,\"p50_us\":%.3f,\"p99_us\":%.3f}\n", n, it, sum / it, lat[it / 2],
                   lat[(int)(it * 0.99)]);
            fflush(stdout);
        }
        free(out);
        free(in);
        free(lat);
    }
    if (child != 0) waitpid(child, NULL, 0);
    return 0;
}
