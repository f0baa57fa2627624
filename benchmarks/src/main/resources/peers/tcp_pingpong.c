/*
 * The loopback floor: blocking TCP ping-pong of 8 bytes between two processes (fork), TCP_NODELAY.
 * usage: tcp_pingpong ITERATIONS WARMUP     prints one RESULT line with the round-trip latency.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

static void full(int fd, char *b, int len, int writing) {
    int done = 0;
    while (done < len) {
        int k = writing ? (int)write(fd, b + done, len - done) : (int)read(fd, b + done, len - done);
        if (k <= 0) { perror("pingpong io"); exit(2); }
        done += k;
    }
}

int main(int argc, char **argv) {
    int iters = argc > 1 ? atoi(argv[1]) : 10000, warmup = argc > 2 ? atoi(argv[2]) : 1000;
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1)) { perror("bind"); return 2; }
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    char b[8] = {0};
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 2; }
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        for (int i = 0; i < iters + warmup; i++) { full(c, b, 8, 0); full(c, b, 8, 1); }
        return 0;
    }
    int s = accept(ls, NULL, NULL);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double *lat = malloc(sizeof(double) * iters), sum = 0;
    for (int i = 0; i < iters + warmup; i++) {
        double t0 = now_us();
        full(s, b, 8, 1);
        full(s, b, 8, 0);
        if (i >= warmup) { lat[i - warmup] = now_us() - t0; sum += lat[i - warmup]; }
    }
    waitpid(child, NULL, 0);
    qsort(lat, iters, sizeof(double), cmp_double);
    printf("RESULT {\"system\":\"tcp-floor\",\"ranks\":2,\"op\":\"pingpong\",\"bytes\":8,\"iterations\":%d,"
           "\"mean_us\":%.3f,\"p50_us\":%.3f,\"p99_us\":%.3f}\n", iters, sum / iters, lat[iters / 2],
           lat[(int)(iters * 0.99)]);
    return 0;
}
