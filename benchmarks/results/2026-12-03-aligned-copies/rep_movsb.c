/*
 * A probe (2026-12-03): GB/s of a 1 MiB "rep movsb" copy (what Linux uses to copy to and from user memory on CPUs
 * with FSRM) for source and destination offsets 0-60 bytes past a 4 KiB boundary, best of 30. Run pinned:
 * taskset -c 1 ./rep_movsb
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static void movsb(void *d, const void *s, size_t n){ __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory"); }
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
int main(){ char *src=aligned_alloc(4096, 2<<20), *dst=aligned_alloc(4096, 2<<20); memset(src,1,2<<20); memset(dst,0,2<<20);
 size_t n=1<<20; int offs[]={0,8,16,24,28,32,36,48,60};
 printf("dst\\src"); for(int j=0;j<9;j++) printf("%6d",offs[j]); printf("   (GB/s, 1 MiB rep movsb)\n");
 for(int i=0;i<9;i++){ printf("%7d",offs[i]); for(int j=0;j<9;j++){ double best=1e18; for(int r=0;r<30;r++){double t=now(); movsb(dst+offs[i],src+offs[j],n); t=now()-t; if(t<best)best=t;} printf("%6.1f", n/best); } printf("\n"); } }
