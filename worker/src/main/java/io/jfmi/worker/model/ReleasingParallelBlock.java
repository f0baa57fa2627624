package io.jfmi.worker.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link ParallelBlock} that, in inference, frees its branches' outputs once they are joined (see
 * {@link ReleasingSequentialBlock}); parameters and their saved form are the plain block's.
 */
final class ReleasingParallelBlock extends ParallelBlock {
    private final Function<List<NDList>, NDList> join;

    ReleasingParallelBlock(Function<List<NDList>, NDList> join) {
        super(join);
        this.join = join;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (training) {
            return super.forwardInternal(store, inputs, true, params);
        }
        List<NDList> outputs = new ArrayList<>();
        for (Block child : getChildren().values()) {
            outputs.add(ReleasingSequentialBlock.scoped(child, store, inputs, params));
        }
        NDList joined = join.apply(outputs);
        for (NDList o : outputs) {
            ReleasingSequentialBlock.release(o, joined, inputs);
        }
        return joined;
    }
}
