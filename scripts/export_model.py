#!/usr/bin/python3
"""Export a whole pickled PyTorch model (what `torch.save(model)` writes) to TorchScript and ONNX for jfmi.

A pickled nn.Module can only be loaded by Python with the module that defines its classes, so jfmi (Java) cannot
run it directly. This loads it once, traces it on a (images [1,5,32,32], magnitudes [1,5]) example and writes
<out>/<name>.pt (TorchScript, DJL's PyTorch engine) and <out>/<name>.onnx (ONNX Runtime; jfmi's loader picks it
when both sit side by side).

    /usr/bin/python3 scripts/export_model.py --model Fine_Tune_Model/model.pt --module-file vit_model.py --out DIR

--module-file is the Python file that defines the model's classes (the study's training script or model module);
its classes are made visible under its own module name and under __main__, since torch.save records the name of
the module the class was defined in. Needs Debian's python3-torch; nothing is downloaded.
"""
import argparse
import copy
import importlib.util
import os
import sys

import torch


def load_classes(module_file):
    name = os.path.splitext(os.path.basename(module_file))[0]
    sys.path.insert(0, os.path.dirname(os.path.abspath(module_file)))
    spec = importlib.util.spec_from_file_location(name, module_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    main = sys.modules["__main__"]
    for attr, value in vars(module).items():
        if isinstance(value, type) and not hasattr(main, attr):
            setattr(main, attr, value)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="file written by torch.save(model)")
    p.add_argument("--module-file", help="Python file defining the model's classes")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--name", help="output name without extension (default: the model file's)")
    p.add_argument("--no-onnx", action="store_true", help="write TorchScript only")
    p.add_argument("--memory-format", choices=["channels-last", "contiguous"], default="channels-last",
                   help="layout of convolution weights in the TorchScript file (channels-last: convolutions and "
                        "pooling run without layout copies in libtorch; measured 9-24%% faster on ViT_Astro)")
    a = p.parse_args()
    if a.module_file:
        load_classes(a.module_file)
    try:
        model = torch.load(a.model, map_location="cpu")
    except (AttributeError, ModuleNotFoundError) as e:
        sys.exit(f"{a.model}: cannot unpickle ({e}); pass --module-file with the .py that defines the model")
    if isinstance(model, dict):
        sys.exit(f"{a.model}: holds a state dict (weights only), not a model; build the model in Python, load the "
                 "weights, and save it with torch.jit.save")
    if not isinstance(model, torch.nn.Module):
        sys.exit(f"{a.model}: holds a {type(model).__name__}, not an nn.Module")
    model.eval()
    example = (torch.zeros(1, 5, 32, 32), torch.zeros(1, 5))
    name = a.name or os.path.splitext(os.path.basename(a.model))[0]
    os.makedirs(a.out, exist_ok=True)
    with torch.no_grad():
        # Frozen: weights folded in as constants; less memory on DJL's libtorch (benchmarks/RESULTS.md).
        scripted_model = model
        if a.memory_format == "channels-last":
            scripted_model = copy.deepcopy(model).to(memory_format=torch.channels_last)
        traced = torch.jit.freeze(torch.jit.trace(scripted_model, example))
    pt = os.path.join(a.out, name + ".pt")
    traced.save(pt)
    print(f"wrote {pt} (TorchScript)")
    if not a.no_onnx:
        onnx = os.path.join(a.out, name + ".onnx")
        torch.onnx.export(model, example, onnx, input_names=["images", "magnitudes"], output_names=["z"],
                          dynamic_axes={"images": {0: "batch"}, "magnitudes": {0: "batch"}, "z": {0: "batch"}},
                          opset_version=14)
        print(f"wrote {onnx} (ONNX)")


if __name__ == "__main__":
    main()
