/*
 * OSU-style collective latency for MPI, written for jfmi's side-by-side comparison.
 * usage: osu_coll OPS SIZES ITERATIONS WARMUP
 *   OPS   comma list of barrier,bcast,allgather,reduce,allreduce,alltoall
 *   SIZES comma list of bytes per rank (multiples of 8; alltoall: bytes per peer)
 * Every rank times each call; every rank prints one line per op and size:
 *   PART {"system":"openmpi","ranks":N,"rank":R,"op":"...","bytes":B,"iterations":I,"mean_us":..,"p50_us":..,
 *         "p99_us":..,"cpu_us":..}   (cpu_us: the process's CPU time per timed call)
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Same rule in every benchmark program: fewer calls for large messages, so a run stays bounded. */
static int scaled(int requested, int floor, long bytes, int n, long budget) {
    if (bytes <= 0) return requested;
    long cap = budget / (bytes * n);
    if (cap < floor) cap = floor;
    return (int)(cap < requested ? cap : requested);
}

/* CPU time of the whole process (every thread, user and system) in microseconds, as the JVM ranks report it. */
static double cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static int split(char *s, char **out, int max) {
    int n = 0;
    for (char *t = strtok(s, ","); t && n < max; t = strtok(NULL, ",")) out[n++] = t;
    return n;
}

static void call(const char *op, long *s, long *r, int count, int n) {
    if (!strcmp(op, "barrier")) MPI_Barrier(MPI_COMM_WORLD);
    else if (!strcmp(op, "bcast")) MPI_Bcast(s, count, MPI_LONG, 0, MPI_COMM_WORLD);
    else if (!strcmp(op, "allgather")) MPI_Allgather(s, count, MPI_LONG, r, count, MPI_LONG, MPI_COMM_WORLD);
    else if (!strcmp(op, "reduce")) MPI_Reduce(s, r, count, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    else if (!strcmp(op, "allreduce")) MPI_Allreduce(s, r, count, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    else if (!strcmp(op, "alltoall")) MPI_Alltoall(s, count, MPI_LONG, r, count, MPI_LONG, MPI_COMM_WORLD);
    else { fprintf(stderr, "unknown op %s\n", op); MPI_Abort(MPI_COMM_WORLD, 64); }
    (void)n;
}

/* Same rule in every benchmark program: at least WARMUP calls and WARMUP_MIN_SECONDS, in blocks of a tenth of WARMUP;
 * after each block rank 0 decides whether to go on (so every rank makes the same calls); none when WARMUP is 0. */
#define WARMUP_MIN_SECONDS 0.5
static void warm_up(const char *op, long *s, long *r, int count, int n, int warm) {
    if (warm == 0) return;
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    int block = warm / 10 > 1 ? warm / 10 : 1;
    int more = 1;
    for (long calls = 0; more; calls += block) {
        for (int i = 0; i < block; i++) call(op, s, r, count, n);
        more = calls + block < warm || MPI_Wtime() - start < WARMUP_MIN_SECONDS;
        MPI_Bcast(&more, 1, MPI_INT, 0, MPI_COMM_WORLD);
    }
}

/* Buffers for one op and size (bytes per rank), with real pages holding data: calloc'd memory never written maps to
 * the kernel's one zero page, which a send would read from cache whatever the size. */
static long *filled(int count, int n, int rank, int sending) {
    long *b = calloc((size_t)count * n + 1, sizeof(long));
    for (long i = 0; i < (long)count * n + 1; i++) b[i] = sending ? i * 7 + rank : -1;
    return b;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, n;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    if (argc != 5) {
        if (rank == 0) fprintf(stderr, "usage: osu_coll OPS SIZES ITERATIONS WARMUP\n");
        MPI_Finalize();
        return 64;
    }
    char *ops[16], *sizes_s[32];
    int nops = split(argv[1], ops, 16), nsizes = split(argv[2], sizes_s, 32);
    int iters = atoi(argv[3]), warmup = atoi(argv[4]);
    double *lat = malloc(sizeof(double) * iters);
    /* Same rule in every benchmark program: before the first point is timed, every point gets its warm-up once, in
     * order; then each gets it again right before its timed calls, so no figure depends on where its point stands in
     * the list (a job's first op otherwise also meets fresh sockets). A cold run (WARMUP 0) skips the pass. */
    for (int o = 0; o < (warmup > 0 ? nops : 0); o++) {
        int is_barrier = !strcmp(ops[o], "barrier");
        for (int z = 0; z < (is_barrier ? 1 : nsizes); z++) {
            long bytes = is_barrier ? 0 : atol(sizes_s[z]);
            int count = (int)(bytes / 8);
            long *s = filled(count, n, rank, 1), *r = filled(count, n, rank, 0);
            warm_up(ops[o], s, r, count, n, scaled(warmup, 200, bytes, n, 1L << 28));
            free(s);
            free(r);
        }
    }
    for (int o = 0; o < nops; o++) {
        int is_barrier = !strcmp(ops[o], "barrier");
        for (int z = 0; z < (is_barrier ? 1 : nsizes); z++) {
            long bytes = is_barrier ? 0 : atol(sizes_s[z]);
            int count = (int)(bytes / 8);
            int iters_here = scaled(iters, 100, bytes, n, 1L << 30);
            int warm_here = scaled(warmup, 200, bytes, n, 1L << 28);
            long *s = filled(count, n, rank, 1), *r = filled(count, n, rank, 0);
            warm_up(ops[o], s, r, count, n, warm_here);
            MPI_Barrier(MPI_COMM_WORLD);
            double sum = 0;
            double cpu0 = cpu_us();
            for (int i = 0; i < iters_here; i++) {
                double t0 = MPI_Wtime();
                call(ops[o], s, r, count, n);
                lat[i] = (MPI_Wtime() - t0) * 1e6;
                sum += lat[i];
            }
            double cpu = (cpu_us() - cpu0) / iters_here;
            qsort(lat, iters_here, sizeof(double), cmp_double);
            printf("PART {\"system\":\"openmpi\",\"ranks\":%d,\"rank\":%d,\"op\":\"%s\",\"bytes\":%ld,"
                   "\"iterations\":%d,\"mean_us\":%.3f,\"p50_us\":%.3f,\"p99_us\":%.3f,\"cpu_us\":%.3f}\n",
                   n, rank, ops[o], bytes, iters_here, sum / iters_here, lat[iters_here / 2],
                   lat[(int)(iters_here * 0.99)], cpu);
            fflush(stdout);
            free(s);
            free(r);
        }
    }
    free(lat);
    MPI_Finalize();
    return 0;
}
