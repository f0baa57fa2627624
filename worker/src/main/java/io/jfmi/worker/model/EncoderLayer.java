package io.jfmi.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * One pre-norm ViT encoder layer built from DJL's transformer blocks: x + attention(norm(x)), then
 * x + mlp(norm(x)) with a GELU MLP. (DJL's TransformerEncoderBlock normalises after the residual, BERT style;
 * ViT normalises before.) Each token is normalised over its own features: DJL's LayerNorm defaults to all
 * non-batch axes, which would mix tokens (axis 2 of [B, T, E]).
 */
final class EncoderLayer extends AbstractBlock {
    private final LayerNorm attentionNorm;
    private final ScaledDotProductAttentionBlock attention;
    private final LayerNorm mlpNorm;
    private final PointwiseFeedForwardBlock mlp;

    EncoderLayer(int embedding, int heads, int mlpRatio) {
        super((byte) 1);
        attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(embedding)
                .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build());
        mlpNorm = addChildBlock("mlp_norm", LayerNorm.builder().axis(2).build());
        mlp = addChildBlock("mlp", new PointwiseFeedForwardBlock(List.of(embedding * mlpRatio), embedding,
                Activation::gelu));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray attended = attention.forward(store, attentionNorm.forward(store, new NDList(x), training), training)
                .singletonOrThrow();
        NDArray y = x.add(attended);
        NDArray mixed = mlp.forward(store, mlpNorm.forward(store, new NDList(y), training), training)
                .singletonOrThrow();
        return new NDList(y.add(mixed));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes);
        attention.initialize(manager, dataType, inputShapes);
        mlpNorm.initialize(manager, dataType, inputShapes);
        mlp.initialize(manager, dataType, inputShapes);
    }
}
