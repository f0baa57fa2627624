#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
__attribute__((noinline)) void sum(double*restrict x,const double*restrict y,int n){for(int i=0;i<n;i++)x[i]+=y[i];}
int main(){int n=1024;double*x=aligned_alloc(64,n*8),*y=aligned_alloc(64,n*8);for(int i=0;i<n;i++){x[i]=0;y[i]=1e-9;}
 double best=1e9;for(int it=0;it<5000;it++){double t0=now();for(int c=0;c<128;c++)sum(x,y,n);double t=now()-t0;if(t<best)best=t;}
 int N=131072;double*X=aligned_alloc(64,N*8),*Y=aligned_alloc(64,N*8);for(int i=0;i<N;i++){X[i]=0;Y[i]=1e-9;}
 double best2=1e9;for(int it=0;it<500;it++){double t0=now();sum(X,Y,N);double t=now()-t0;if(t<best2)best2=t;}
 printf("loop-in-L1 %.1f us per 128K doubles; 1 MiB in place %.1f us (x=%g)\n",best,best2,x[0]+X[0]);}
