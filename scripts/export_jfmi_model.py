#!/usr/bin/python3
"""Export a jfmi (DJL Block API) ViT_Astro to ONNX, with the same weights and the same answers.

jfmi trains and ships ViT_Astro as a DJL model (worker/.../model/VitAstro.java). ONNX Runtime, the engine of the
Lambda zip, needs an ONNX file. This rebuilds the DJL block in PyTorch operation for operation (input scaling,
patch embedding, pre-norm encoder layers with DJL's attention, the Inception branch with its per-pixel stem,
the magnitude MLP, the head), loads the parameters `worker.jar export-weights` wrote (consumed in DJL's order,
each name and shape checked), checks that its predictions on the reference galaxies equal the DJL model's, and
only then writes the ONNX file.

    java -jar worker/target/worker.jar export-weights [--model DIR] --out /tmp/w.npz
    /usr/bin/python3 scripts/export_jfmi_model.py --config DIR/model.json --weights /tmp/w.npz --out model.onnx

Needs Debian's python3-torch and python3-numpy; nothing is downloaded.
"""
import argparse
import json
import math
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

TOLERANCE = 1e-4


class Weights:
    """The DJL parameters in the order DJL lists them; each take() checks the name's ending and the shape."""

    def __init__(self, npz):
        self.items = [(k, npz[k]) for k in npz.files if not k.startswith("ref_")]
        self.at = 0

    def take(self, ending, shape=None):
        if self.at >= len(self.items):
            sys.exit(f"weights: ran out of parameters looking for *{ending}")
        name, value = self.items[self.at]
        self.at += 1
        if not name.endswith(ending):
            sys.exit(f"weights: parameter {self.at} is {name}, expected one ending in {ending}")
        if shape is not None and tuple(value.shape) != tuple(shape):
            sys.exit(f"weights: {name} has shape {value.shape}, expected {tuple(shape)}")
        return nn.Parameter(torch.from_numpy(np.ascontiguousarray(value)), requires_grad=False)

    def done(self):
        if self.at != len(self.items):
            sys.exit(f"weights: {len(self.items) - self.at} parameters left over, from {self.items[self.at][0]}")


def linear(w, cin, cout):
    m = nn.Linear(cin, cout)
    m.weight = w.take("_weight", (cout, cin))
    m.bias = w.take("_bias", (cout,))
    return m


def conv(w, cin, cout, k, stride=1, pad=0):
    m = nn.Conv2d(cin, cout, k, stride=stride, padding=pad)
    m.weight = w.take("_weight", (cout, cin, k, k))
    m.bias = w.take("_bias", (cout,))
    return m


def batch_norm(w, c):
    m = nn.BatchNorm2d(c, eps=1e-5)
    m.weight = w.take("_gamma", (c,))
    m.bias = w.take("_beta", (c,))
    m.running_mean = w.take("_runningMean", (c,)).data
    m.running_var = w.take("_runningVar", (c,)).data
    return m


def layer_norm(w, c):
    m = nn.LayerNorm(c, eps=1e-5)
    m.weight = w.take("_gamma", (c,))
    m.bias = w.take("_beta", (c,))
    return m


class ConvUnit(nn.Module):
    """Conv2d (same size) + BatchNorm + ReLU."""

    def __init__(self, w, cin, cout, k):
        super().__init__()
        self.conv = conv(w, cin, cout, k, pad=k // 2)
        self.bn = batch_norm(w, cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class PointwiseUnit(nn.Module):
    """DJL's stem: a Linear over the channels of each pixel (channels last), BatchNorm, ReLU."""

    def __init__(self, w, cin, cout):
        super().__init__()
        self.lin = linear(w, cin, cout)
        self.bn = batch_norm(w, cout)

    def forward(self, x):
        return F.relu(self.bn(self.lin(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)))


class Inception(nn.Module):
    def __init__(self, w, cin, cout):
        super().__init__()
        e = cout // 4
        self.b1 = ConvUnit(w, cin, e, 1)
        self.b2 = nn.Sequential(ConvUnit(w, cin, e, 1), ConvUnit(w, e, e, 3))
        self.b3 = nn.Sequential(ConvUnit(w, cin, e, 1), ConvUnit(w, e, e, 5))
        self.b4 = ConvUnit(w, cin, e, 1)

    def forward(self, x):
        pooled = F.max_pool2d(x, 3, stride=1, padding=1)
        return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(pooled)], 1)


class EncoderLayer(nn.Module):
    """Pre-norm; DJL's ScaledDotProductAttentionBlock (separate key, query, value and result projections)."""

    def __init__(self, w, dim, heads, ratio):
        super().__init__()
        self.dim, self.heads, self.head_size = dim, heads, dim // heads
        self.scale = 1.0 / math.sqrt(self.head_size)
        self.norm1 = layer_norm(w, dim)
        self.key = linear(w, dim, dim)
        self.query = linear(w, dim, dim)
        self.value = linear(w, dim, dim)
        self.result = linear(w, dim, dim)
        self.norm2 = layer_norm(w, dim)
        self.fc1 = linear(w, dim, dim * ratio)
        self.fc2 = linear(w, dim * ratio, dim)

    def forward(self, x):
        b, s = x.shape[0], x.shape[1]
        e, n, h = self.dim, self.heads, self.head_size
        y = self.norm1(x)
        q = self.query(y).reshape(b, s, n, h).transpose(1, 2)
        k = self.key(y).reshape(b, s, n, h).transpose(1, 2)
        v = self.value(y).reshape(b, s, n, h).transpose(1, 2)
        scores = (q @ k.transpose(2, 3)) * self.scale
        attended = (torch.softmax(scores, 3) @ v).transpose(1, 2).reshape(b, s, e)
        x = x + self.result(attended)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class JfmiVitAstro(nn.Module):
    def __init__(self, c, w):
        super().__init__()
        emb, branch, mag, head, stem = c["embedding"], c["branch_width"], c["mag_width"], c["head_width"], c["stem_width"]
        self.register_buffer("image_scale", torch.tensor(float(c["image_scale"])))
        self.register_buffer("mag_mean", torch.tensor(c["mag_mean"], dtype=torch.float32))
        self.register_buffer("mag_std", torch.tensor(c["mag_std"], dtype=torch.float32))
        self.emb = emb
        # ViT branch: PatchEmbedding lists class token, positions, then its projection
        self.cls = w.take("class_token", (1, 1, emb))
        self.pos = w.take("positions", (1, 17, emb))
        self.patch = conv(w, 5, emb, 8, stride=8)
        self.layers = nn.ModuleList([EncoderLayer(w, emb, c["heads"], c["mlp_ratio"]) for _ in range(c["depth"])])
        self.vit_norm = layer_norm(w, emb)
        self.vit_head = nn.ModuleList([linear(w, emb, emb), linear(w, emb, branch), linear(w, branch, branch)])
        # Inception branch
        self.stem = PointwiseUnit(w, 5, stem)
        self.blocks = nn.ModuleList([Inception(w, stem, 2 * stem), Inception(w, 2 * stem, 2 * stem),
                                     Inception(w, 2 * stem, stem), Inception(w, stem, stem), Inception(w, stem, 12)])
        self.inc_head = nn.ModuleList([linear(w, 192, branch), linear(w, branch, branch)])
        # magnitudes, head
        self.mags = nn.ModuleList([linear(w, 5, mag)] + [linear(w, mag, mag) for _ in range(4)])
        self.head = nn.ModuleList([linear(w, 2 * branch + mag, head), linear(w, head, 1)])
        w.done()

    def forward(self, images, magnitudes):
        x = images * self.image_scale
        m = (magnitudes - self.mag_mean) / self.mag_std
        p = self.patch(x)
        b = p.shape[0]
        t = torch.cat([self.cls.expand(b, -1, -1), p.reshape(b, self.emb, -1).transpose(1, 2)], 1) + self.pos
        for layer in self.layers:
            t = layer(t)
        v = self.vit_norm(t[:, 1:].mean(1))
        v = self.vit_head[2](F.relu(self.vit_head[1](self.vit_head[0](v))))
        y = F.avg_pool2d(self.stem(x), 2)
        y = F.avg_pool2d(self.blocks[1](self.blocks[0](y)), 2)
        y = F.avg_pool2d(self.blocks[3](self.blocks[2](y)), 2)
        y = self.blocks[4](y).flatten(1)
        y = self.inc_head[1](F.relu(self.inc_head[0](y)))
        g = self.mags[0](m)
        for lin in self.mags[1:]:
            g = lin(F.relu(g))
        return self.head[1](F.relu(self.head[0](torch.cat([v, y, g], 1))))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True, help="the model folder's model.json")
    p.add_argument("--weights", required=True, help="the .npz written by worker.jar export-weights")
    p.add_argument("--out", required=True, help="the .onnx file to write")
    a = p.parse_args()
    with open(a.config) as f:
        config = json.load(f)
    if config.get("architecture") != "vit_astro":
        sys.exit(f"{a.config}: architecture {config.get('architecture')!r}, expected 'vit_astro'")
    npz = np.load(a.weights)
    model = JfmiVitAstro(config, Weights(npz)).eval()
    images = torch.from_numpy(npz["ref_images"])
    mags = torch.from_numpy(npz["ref_magnitudes"])
    with torch.no_grad():
        z = model(images, mags).reshape(-1).numpy()
    worst = float(np.max(np.abs(z - npz["ref_z"])))
    print(f"PyTorch rebuild against the DJL model: max |difference| {worst:.3g} over {len(z)} galaxies")
    if not worst <= TOLERANCE:
        sys.exit(f"the rebuilt model differs from the DJL model by {worst} (> {TOLERANCE}): not exported")
    torch.onnx.export(model, (images[:2], mags[:2]), a.out, input_names=["images", "magnitudes"],
                      output_names=["z"], opset_version=14,
                      dynamic_axes={"images": {0: "batch"}, "magnitudes": {0: "batch"}, "z": {0: "batch"}})
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
