/*
 * The machine's FP32 ceiling for the inference table: every thread runs independent chains of fused multiply-adds
 * on the widest vectors the compiler targets here (-march=native), so the loop is bound by the FMA units alone, not
 * by memory or dependencies. Prints "RESULT threads=T gflops=G vector_bits=B".
 * Usage: fp32_peak THREADS SECONDS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif
#define CHAINS 12 /* enough independent chains to cover FMA latency x units */

typedef float vec __attribute__((vector_size(LANES * 4)));

static double seconds;
static double flops[256];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *run(void *arg) {
    long id = (long) arg;
    vec acc[CHAINS];
    vec mul, add;
    for (int l = 0; l < LANES; l++) {
        mul[l] = 0.999999f;
        add[l] = 1e-7f * (l + 1);
    }
    for (int c = 0; c < CHAINS; c++) {
        for (int l = 0; l < LANES; l++) {
            acc[c][l] = (float) (c + l + id);
        }
    }
    long rounds = 0;
    double start = now();
    double end = start + seconds;
    while (now() < end) {
        for (int i = 0; i < 100000; i++) {
            for (int c = 0; c < CHAINS; c++) {
                acc[c] = acc[c] * mul + add;
            }
        }
        rounds += 100000;
    }
    double elapsed = now() - start;
    float sink = 0;
    for (int c = 0; c < CHAINS; c++) {
        for (int l = 0; l < LANES; l++) {
            sink += acc[c][l];
        }
    }
    if (sink == 12345.0f) {
        printf("unlikely\n"); /* keeps the chains alive */
    }
    flops[id] = (double) rounds * CHAINS * LANES * 2 / elapsed;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fp32_peak THREADS SECONDS\n");
        return 64;
    }
    int threads = atoi(argv[1]);
    seconds = atof(argv[2]);
    if (threads < 1 || threads > 256 || seconds <= 0) {
        fprintf(stderr, "fp32_peak: THREADS must be 1..256 and SECONDS > 0\n");
        return 64;
    }
    pthread_t t[256];
    for (long i = 0; i < threads; i++) {
        pthread_create(&t[i], NULL, run, (void *) i);
    }
    double total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += flops[i];
    }
    printf("RESULT threads=%d gflops=%.1f vector_bits=%d\n", threads, total / 1e9, LANES * 32);
    return 0;
}
