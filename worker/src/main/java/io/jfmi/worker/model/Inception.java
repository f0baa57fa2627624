package io.jfmi.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** Inception blocks (1x1, 1x1->3x3, 1x1->5x5, maxpool->1x1 branches, concatenated) and conv-BN-ReLU units. */
final class Inception {
    private Inception() {
    }

    /** An Inception block with {@code out} channels, a quarter from each branch. */
    static Block block(int out) {
        int each = out / 4;
        if (each * 4 != out) {
            throw new IllegalArgumentException("inception width must be a multiple of 4, got " + out);
        }
        return new ReleasingParallelBlock(Inception::concatChannels)
                .add(convUnit(each, 1))
                .add(new ReleasingSequentialBlock().add(convUnit(each, 1)).add(convUnit(each, 3)))
                .add(new ReleasingSequentialBlock().add(convUnit(each, 1)).add(convUnit(each, 5)))
                .add(new ReleasingSequentialBlock().add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(1, 1),
                        new Shape(1, 1))).add(convUnit(each, 1)));
    }

    /**
     * A 1x1 conv written as a per-pixel Linear over the channels, then BatchNorm and ReLU: the same function and
     * parameters as {@code convUnit(filters, 1)}. Used where the input is the raw image: libtorch 2.7.1's CPU conv
     * backward gave non-finite weight gradients there in most training steps on this machine.
     */
    static Block pointwiseUnit(int filters) {
        return new ReleasingSequentialBlock()
                .add(LambdaBlock.singleton(x -> x.transpose(0, 2, 3, 1), "channels_last"))
                .add(Linear.builder().setUnits(filters).build())
                .add(LambdaBlock.singleton(x -> x.transpose(0, 3, 1, 2), "channels_first"))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** Joins the single outputs of parallel branches along axis 1 (channels, or features for [B, F]). */
    static NDList concatChannels(List<NDList> outputs) {
        return new NDList(NDArrays.concat(new NDList(outputs.stream().map(NDList::singletonOrThrow)
                .toArray(NDArray[]::new)), 1));
    }

    /** A same-size {@code kernel}x{@code kernel} conv followed by BatchNorm and ReLU. */
    static Block convUnit(int filters, int kernel) {
        int pad = kernel / 2;
        return new ReleasingSequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(pad, pad))
                        .setFilters(filters).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
