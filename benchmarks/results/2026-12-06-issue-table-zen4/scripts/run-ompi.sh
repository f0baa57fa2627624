#!/bin/bash
exec mpirun --allow-run-as-root --oversubscribe --bind-to core:overload-allowed --map-by core -np 2 --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo ${OSU_COLL:-./osu_coll} reduce 8 $1 0
