package io.jfmi.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The CosmicAI ViT_Astro network in DJL's Block API. Input: [images [B, 5, 32, 32], magnitudes [B, 5]] (float32);
 * output: [B, 1] redshift. Three branches run on the inputs and are concatenated (1096 + 1096 + 1024 = 3216 in
 * the study's shape) before a two-layer head:
 * <ul>
 * <li>ViT: 8x8 patches + class token, {@code depth} pre-norm encoder layers, mean of the patch tokens, LayerNorm,
 * Linear E->E, Linear E->branch, ReLU, Linear branch->branch;</li>
 * <li>Inception: 1x1 stem, avg-pool to 16x16, Inception x2, avg-pool to 8x8, Inception x2, avg-pool to 4x4, a
 * reduced Inception to 12 channels, flatten 192, Linear 192->branch, ReLU, Linear branch->branch;</li>
 * <li>magnitudes: Linear 5->M, then four Linear M->M with ReLU between.</li>
 * </ul>
 */
public final class VitAstro {
    static final int REDUCED_CHANNELS = 12;

    private VitAstro() {
    }

    public static Block build(VitAstroConfig c) {
        Block branches = new ReleasingParallelBlock(Inception::concatChannels)
                .add(new ReleasingSequentialBlock().add(input(0, c)).add(vitBranch(c)))
                .add(new ReleasingSequentialBlock().add(input(0, c)).add(inceptionBranch(c)))
                .add(new ReleasingSequentialBlock().add(input(1, c)).add(magnitudeBranch(c)));
        return new ReleasingSequentialBlock()
                .add(branches)
                .add(Linear.builder().setUnits(c.headWidth()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    /** Picks input {@code index} and applies the model's fixed input scaling to it. */
    private static Block input(int index, VitAstroConfig c) {
        float scale = c.imageScale();
        float[] mean = c.magMean();
        float[] std = c.magStd();
        return new LambdaBlock(list -> {
            NDArray x = list.get(index);
            if (index == 0) {
                return new NDList(scale == 1f ? x : x.mul(scale));
            }
            NDArray m = x.getManager().create(mean);
            NDArray s = x.getManager().create(std);
            return new NDList(x.sub(m).div(s));
        }, index == 0 ? "images" : "magnitudes");
    }

    static Block vitBranch(VitAstroConfig c) {
        SequentialBlock vit = new ReleasingSequentialBlock()
                .add(new PatchEmbedding(c.embedding(), 32, VitAstroConfig.PATCH));
        for (int i = 0; i < c.depth(); i++) {
            vit.add(new EncoderLayer(c.embedding(), c.heads(), c.mlpRatio()));
        }
        return vit
                .add(LambdaBlock.singleton(tokens -> tokens.get(new NDIndex(":, 1:, :")).mean(new int[] {1}),
                        "mean_patch_tokens"))
                .add(LayerNorm.builder().axis(1).build())
                .add(Linear.builder().setUnits(c.embedding()).build())
                .add(Linear.builder().setUnits(c.branchWidth()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(c.branchWidth()).build());
    }

    /**
     * Rows of a batch the Inception branch takes at a time in inference: its 32x32 feature maps are the largest
     * activations of the model (33.5 MB each at batch 256), while its output is a few hundred bytes per row. At batch
     * 256 this took peak RSS from 633-672 MB to 574-593 MB at the same speed (64 rows: 577-592 MB, 6-8% slower).
     */
    static final int INCEPTION_ROWS_PER_PASS = 128;

    static Block inceptionBranch(VitAstroConfig c) {
        int stem = c.stemWidth();
        return new ReleasingSequentialBlock(INCEPTION_ROWS_PER_PASS)
                .add(Inception.pointwiseUnit(stem))
                .add(Pool.avgPool2dBlock(new Shape(2, 2)))
                .add(Inception.block(stem * 2))
                .add(Inception.block(stem * 2))
                .add(Pool.avgPool2dBlock(new Shape(2, 2)))
                .add(Inception.block(stem))
                .add(Inception.block(stem))
                .add(Pool.avgPool2dBlock(new Shape(2, 2)))
                .add(Inception.block(REDUCED_CHANNELS))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(c.branchWidth()).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(c.branchWidth()).build());
    }

    static Block magnitudeBranch(VitAstroConfig c) {
        SequentialBlock mlp = new ReleasingSequentialBlock().add(Linear.builder().setUnits(c.magWidth()).build());
        for (int i = 0; i < VitAstroConfig.MAG_LAYERS; i++) {
            mlp.add(Activation.reluBlock()).add(Linear.builder().setUnits(c.magWidth()).build());
        }
        return mlp;
    }
}
