/*
 * The floor of an element-wise sum, x[i] += y[i] over n elements in place, as the C compiler makes it: the
 * benchmarks build this once scalar (-O2 -fno-tree-vectorize), once scalar unrolled (add -funroll-loops) and once
 * vectorised (-O3 -march=native), so a JVM's reduction kernel can be set against each.
 *
 * usage: fold_floor double|float BYTES REPEATS
 * prints: RESULT type=double bytes=1048576 best_us=21.1 median_us=22.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

__attribute__((noinline)) static void sum_doubles(double *restrict x, const double *restrict y, long n) {
    for (long i = 0; i < n; i++) x[i] += y[i];
}

__attribute__((noinline)) static void sum_floats(float *restrict x, const float *restrict y, long n) {
    for (long i = 0; i < n; i++) x[i] += y[i];
}

static int by_value(const void *a, const void *b) {
    double d = *(const double *)a - *(const double *)b;
    return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s double|float BYTES REPEATS\n", argv[0]);
        return 64;
    }
    int is_double = strcmp(argv[1], "double") == 0;
    if (!is_double && strcmp(argv[1], "float") != 0) {
        fprintf(stderr, "%s: type must be double or float, not '%s'\n", argv[0], argv[1]);
        return 64;
    }
    long bytes = atol(argv[2]);
    int repeats = atoi(argv[3]);
    if (bytes <= 0 || bytes % 8 != 0 || repeats <= 0) {
        fprintf(stderr, "%s: BYTES must be a positive multiple of 8 and REPEATS positive\n", argv[0]);
        return 64;
    }
    void *x = aligned_alloc(64, bytes), *y = aligned_alloc(64, bytes);
    if (x == NULL || y == NULL) {
        fprintf(stderr, "%s: cannot allocate 2 x %ld bytes\n", argv[0], bytes);
        return 1;
    }
    memset(x, 0, bytes);
    memset(y, 0, bytes);
    double *times = malloc(sizeof(double) * repeats);
    int warmup = repeats / 4 + 1;
    for (int i = -warmup; i < repeats; i++) {
        double t0 = now_us();
        if (is_double) sum_doubles(x, y, bytes / 8); else sum_floats(x, y, bytes / 4);
        double t = now_us() - t0;
        if (i >= 0) times[i] = t;
    }
    qsort(times, repeats, sizeof(double), by_value);
    printf("RESULT type=%s bytes=%ld best_us=%.2f median_us=%.2f\n", argv[1], bytes, times[0], times[repeats / 2]);
    return 0;
}
