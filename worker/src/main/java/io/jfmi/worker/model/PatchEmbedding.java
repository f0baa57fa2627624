package io.jfmi.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Cuts a [B, C, 32, 32] image into 8x8 patches, projects each to {@code embedding} values (a strided conv), puts
 * a learned class token in front and adds learned position embeddings: [B, 1 + patches, embedding].
 */
final class PatchEmbedding extends AbstractBlock {
    private final int embedding;
    private final int tokens;
    private final Conv2d projection;
    private final Parameter classToken;
    private final Parameter positions;

    PatchEmbedding(int embedding, int imageSide, int patch) {
        super((byte) 1);
        this.embedding = embedding;
        this.tokens = 1 + (imageSide / patch) * (imageSide / patch);
        projection = addChildBlock("projection", Conv2d.builder().setKernelShape(new Shape(patch, patch))
                .optStride(new Shape(patch, patch)).setFilters(embedding).build());
        classToken = addParameter(Parameter.builder().setName("class_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, embedding)).optInitializer(new NormalInitializer(0.02f)).build());
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, tokens, embedding)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray patches = projection.forward(store, inputs, training).singletonOrThrow(); // [B, E, 4, 4]
        long batch = patches.getShape().get(0);
        NDArray sequence = patches.reshape(batch, embedding, tokens - 1).transpose(0, 2, 1);
        // An op's result joins its receiver's manager: derived from a parameter, it would land in the model's
        // long-lived manager and outlive the batch (RSS grew ~3 MB per batch that way). Move it to the batch's.
        NDArray cls = store.getValue(classToken, sequence.getDevice(), training).repeat(0, batch);
        cls.attach(sequence.getManager());
        NDArray pos = store.getValue(positions, sequence.getDevice(), training);
        return new NDList(cls.concat(sequence, 1).add(pos));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), tokens, embedding)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes);
    }
}
