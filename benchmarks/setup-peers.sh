#!/usr/bin/env bash
# Installs the peers `benchmarks.jar compare` runs next to jfmi (Debian): Open MPI with its compiler wrapper,
# PyTorch (gloo) for Debian's own python3, and gcc for the loopback floor. Run as root.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev python3-torch python3-numpy gcc
echo "peers installed: $(mpirun --version | head -1); torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
