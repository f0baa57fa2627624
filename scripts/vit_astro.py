#!/usr/bin/python3
"""ViT_Astro in PyTorch, the same architecture jfmi builds with DJL's Block API (worker/.../model/VitAstro.java).

Exports a seeded model as TorchScript (.pt) and ONNX (.onnx) plus reference.npz (inputs and PyTorch's outputs),
which jfmi's tests and the inference benchmark use to check DJL and ONNX Runtime against PyTorch on the same
weights.

    /usr/bin/python3 scripts/vit_astro.py --variant full --out /tmp/vit [--seed 0] [--batch 8] [--no-onnx]

Needs Debian's python3-torch (1.13) and python3-numpy; nothing is downloaded.
"""
import argparse
import copy
import json
import os
import sys

import numpy as np
import torch
from torch import nn

VARIANTS = {
    # embedding, depth, heads, mlp_ratio, branch_width, mag_width, head_width, stem_width
    "full": (192, 12, 3, 4, 1096, 1024, 1024, 32),
    "small": (32, 2, 2, 2, 64, 64, 64, 16),
}


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5, dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, t, d))


class EncoderLayer(nn.Module):
    """Pre-norm: x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def conv_unit(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2), nn.BatchNorm2d(cout), nn.ReLU())


class Inception(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        e = cout // 4
        self.b1 = conv_unit(cin, e, 1)
        self.b2 = nn.Sequential(conv_unit(cin, e, 1), conv_unit(e, e, 3))
        self.b3 = nn.Sequential(conv_unit(cin, e, 1), conv_unit(e, e, 5))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), conv_unit(cin, e, 1))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)


class VitAstro(nn.Module):
    def __init__(self, variant="full"):
        super().__init__()
        emb, depth, heads, ratio, branch, mag, head, stem = VARIANTS[variant]
        self.patch = nn.Conv2d(5, emb, 8, stride=8)
        self.cls = nn.Parameter(torch.randn(1, 1, emb) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, 17, emb) * 0.02)
        self.encoder = nn.Sequential(*[EncoderLayer(emb, heads, ratio) for _ in range(depth)])
        self.vit_head = nn.Sequential(nn.LayerNorm(emb), nn.Linear(emb, emb), nn.Linear(emb, branch), nn.ReLU(),
                                      nn.Linear(branch, branch))
        self.inception = nn.Sequential(
            conv_unit(5, stem, 1), nn.AvgPool2d(2),
            Inception(stem, 2 * stem), Inception(2 * stem, 2 * stem), nn.AvgPool2d(2),
            Inception(2 * stem, stem), Inception(stem, stem), nn.AvgPool2d(2),
            Inception(stem, 12), nn.Flatten(),
            nn.Linear(192, branch), nn.ReLU(), nn.Linear(branch, branch))
        layers = [nn.Linear(5, mag)]
        for _ in range(4):
            layers += [nn.ReLU(), nn.Linear(mag, mag)]
        self.magnitudes = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(2 * branch + mag, head), nn.ReLU(), nn.Linear(head, 1))

    def forward(self, images, magnitudes):
        tokens = self.patch(images).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls.expand(images.shape[0], -1, -1), tokens], 1) + self.pos
        vit = self.vit_head(self.encoder(tokens)[:, 1:].mean(1))
        return self.head(torch.cat([vit, self.inception(images), self.magnitudes(magnitudes)], 1))


def flops_per_sample(model, images, mags):
    """Multiply-adds of convolutions, linear layers and attention products, times two, per sample."""
    macs = [0]

    def conv(m, i, o):
        macs[0] += o.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear(m, i, o):
        macs[0] += o.numel() * m.in_features

    def attention(m, i, o):
        b, t, d = i[0].shape
        macs[0] += 2 * b * t * t * d  # q @ k^T and a @ v

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
        elif isinstance(m, Attention):
            hooks.append(m.register_forward_hook(attention))
    with torch.no_grad():
        model(images, mags)
    for h in hooks:
        h.remove()
    return 2 * macs[0] / images.shape[0]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--variant", choices=sorted(VARIANTS), default="full")
    p.add_argument("--out", required=True, help="folder for vit_astro.pt, vit_astro.onnx, reference.npz")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=8, help="samples in reference.npz")
    p.add_argument("--no-onnx", action="store_true", help="skip the ONNX export")
    p.add_argument("--memory-format", choices=["channels-last", "contiguous"], default="channels-last",
                   help="layout of the convolution weights in the TorchScript file (channels-last: the convolution "
                        "branch runs without layout copies in libtorch, 9-24%% faster here; see RESULTS.md)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model = VitAstro(a.variant).eval()
    os.makedirs(a.out, exist_ok=True)
    images = torch.rand(a.batch, 5, 32, 32)
    mags = 16 + 4 * torch.rand(a.batch, 5)
    with torch.no_grad():
        # Frozen (weights folded in as constants): on DJL's libtorch 2.7.1 it peaked 35-60 MB lower than the plain
        # trace at batch 256, at the same speed (benchmarks/RESULTS.md). optimize_for_inference is left out:
        # libtorch 2.7.1 cannot load what torch 1.13 writes with it.
        scripted_model = model
        if a.memory_format == "channels-last":
            scripted_model = copy.deepcopy(model).to(memory_format=torch.channels_last)
        traced = torch.jit.freeze(torch.jit.trace(scripted_model, (images, mags)))
        traced.save(os.path.join(a.out, "vit_astro.pt"))
        expected = model(images, mags)
        if not a.no_onnx:
            torch.onnx.export(model, (images, mags), os.path.join(a.out, "vit_astro.onnx"),
                              input_names=["images", "magnitudes"], output_names=["z"],
                              dynamic_axes={"images": {0: "batch"}, "magnitudes": {0: "batch"}, "z": {0: "batch"}},
                              opset_version=14)
    np.savez(os.path.join(a.out, "reference.npz"), images=images.numpy(), magnitudes=mags.numpy(),
             z=expected.numpy().reshape(-1))
    params = sum(t.numel() for t in model.parameters())
    with open(os.path.join(a.out, "model_info.json"), "w") as f:
        json.dump({"variant": a.variant, "parameters": params, "seed": a.seed,
                   "flops_per_sample": flops_per_sample(model, images, mags)}, f, indent=2)
    print(f"ViT_Astro {a.variant}: {params:,} parameters; wrote {a.out}/vit_astro.pt"
          + ("" if a.no_onnx else ", vit_astro.onnx") + ", reference.npz, model_info.json")


if __name__ == "__main__":
    sys.exit(main())
