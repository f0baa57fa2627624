#!/usr/bin/python3
"""Convert the CosmicAI study's PyTorch pickle to the .npz jfmi reads.

The study saved its data with torch.save(TensorDataset(images, magnitudes, redshift)). This reads such a file
(or a tuple/list of the three tensors, or a dict with keys images, magnitudes and redshift or redshifts) and writes
images float32 [n, 5, 32, 32], magnitudes float64 [n, 5] and redshifts float32 [n] to a compressed .npz.

    /usr/bin/python3 scripts/pickle_to_npz.py data.pt data.npz

Needs python3-torch and python3-numpy. torch.load unpickles: only convert files you trust.
Exit codes: 0 done, 2 the input is not in the expected form (the message says what is wrong).
"""
import argparse
import os
import sys

import numpy as np
import torch


def tensors_of(obj, path):
    """(images, magnitudes, redshifts) from whatever container the pickle holds."""
    if hasattr(obj, "tensors"):  # TensorDataset
        obj = obj.tensors
    if isinstance(obj, dict):
        missing = [k for k in ("images", "magnitudes") if k not in obj]
        z_key = "redshifts" if "redshifts" in obj else "redshift"
        if missing or z_key not in obj:
            raise ValueError(f"{path}: dict lacks {missing + ([] if z_key in obj else ['redshift'])} "
                             f"(has {sorted(obj)})")
        obj = (obj["images"], obj["magnitudes"], obj[z_key])
    if not isinstance(obj, (tuple, list)) or len(obj) != 3:
        raise ValueError(f"{path}: expected a TensorDataset of (images, magnitudes, redshift), "
                         f"got {type(obj).__name__}")
    return [t.detach().cpu().numpy() if torch.is_tensor(t) else np.asarray(t) for t in obj]


def convert(src, dst):
    obj = torch.load(src, map_location="cpu")
    images, mags, z = tensors_of(obj, src)
    z = z.reshape(-1) if z.ndim == 2 and z.shape[1] == 1 else z
    n = z.shape[0] if z.ndim == 1 else -1
    if z.ndim != 1:
        raise ValueError(f"{src}: redshift has shape {tuple(z.shape)}, expected (n,)")
    if images.shape != (n, 5, 32, 32):
        raise ValueError(f"{src}: images have shape {tuple(images.shape)}, expected ({n}, 5, 32, 32)")
    if mags.shape != (n, 5):
        raise ValueError(f"{src}: magnitudes have shape {tuple(mags.shape)}, expected ({n}, 5)")
    tmp = dst + ".tmp.npz"
    np.savez_compressed(tmp, images=images.astype(np.float32), magnitudes=mags.astype(np.float64),
                        redshifts=z.astype(np.float32))
    os.replace(tmp, dst)  # atomic: readers never see half a file
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="file written by torch.save")
    p.add_argument("output", help=".npz to write")
    a = p.parse_args()
    if not a.output.endswith(".npz"):
        p.error(f"output must end with .npz, got {a.output}")
    try:
        n = convert(a.input, a.output)
    except FileNotFoundError:
        print(f"error: {a.input}: no such file", file=sys.stderr)
        return 2
    except (ValueError, RuntimeError, EOFError, OSError) as e:
        print(f"error: {e}" if str(e).startswith(a.input) else f"error: {a.input}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {n} samples to {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
