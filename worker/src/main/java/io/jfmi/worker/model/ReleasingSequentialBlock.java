package io.jfmi.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that, in inference, frees what each child makes inside as soon as it returns, and each
 * child's output as soon as the next child has consumed it. DJL attaches every intermediate to the batch's manager,
 * so a plain sequence keeps all of a batch's activations alive until the batch ends (1.7 GB at batch 256 for the
 * full model). Parameters and their saved form are the plain block's; training keeps everything (autograd needs
 * it).
 */
final class ReleasingSequentialBlock extends SequentialBlock {
    /** In inference, batches larger than this run through the sequence this many rows at a time (0: whole). */
    private final int rowsPerPass;

    ReleasingSequentialBlock() {
        this(0);
    }

    /**
     * @param rowsPerPass run larger batches through the sequence in slices of this many rows, so its intermediates
     *                    exist for one slice at a time (for sequences whose inner activations dwarf their output)
     */
    ReleasingSequentialBlock(int rowsPerPass) {
        this.rowsPerPass = rowsPerPass;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (training) {
            return super.forwardInternal(store, inputs, true, params);
        }
        long rows = inputs.head().getShape().get(0);
        if (rowsPerPass > 0 && rows > rowsPerPass) {
            return bySlices(store, inputs, params, rows);
        }
        return inOnePass(store, inputs, params);
    }

    /** Each slice of rows goes through the whole sequence in a scope of its own; the outputs are joined. */
    private NDList bySlices(ParameterStore store, NDList inputs, PairList<String, Object> params, long rows) {
        NDManager outer = inputs.head().getManager();
        NDList[] parts = new NDList[(int) ((rows + rowsPerPass - 1) / rowsPerPass)];
        for (int i = 0; i < parts.length; i++) {
            long from = (long) i * rowsPerPass;
            long to = Math.min(rows, from + rowsPerPass);
            try (NDManager scope = outer.newSubManager()) {
                NDList slice = new NDList();
                for (NDArray a : inputs) {
                    NDArray rowsOfA = a.get(from + ":" + to);
                    rowsOfA.attach(scope);
                    slice.add(rowsOfA);
                }
                NDList out = inOnePass(store, slice, params);
                out.attach(outer);
                parts[i] = out;
            }
        }
        NDList joined = new NDList();
        for (int k = 0; k < parts[0].size(); k++) {
            NDList column = new NDList();
            for (NDList part : parts) {
                column.add(part.get(k));
            }
            joined.add(NDArrays.concat(column, 0));
            column.close();
        }
        return joined;
    }

    private NDList inOnePass(ParameterStore store, NDList inputs, PairList<String, Object> params) {
        NDList current = inputs;
        for (Block child : getChildren().values()) {
            NDList next = scoped(child, store, current, params);
            release(current, next, inputs);
            current = next;
        }
        return current;
    }

    /**
     * Runs {@code child} with everything it makes in a scope of its own, freed when it returns: only its output
     * moves to the manager of its input.
     */
    static NDList scoped(Block child, ParameterStore store, NDList input, PairList<String, Object> params) {
        NDManager outer = input.head().getManager();
        try (NDManager scope = outer.newSubManager()) {
            input.tempAttach(scope);
            NDList output = child.forward(store, input, false, params);
            output.attach(outer);
            return output;
        }
    }

    /**
     * Closes the arrays of {@code consumed} that are neither passed on in {@code output} nor among the block's own
     * {@code inputs} (which belong to the caller: a branch may hand an input through unchanged).
     */
    static void release(NDList consumed, NDList output, NDList inputs) {
        for (NDArray a : consumed) {
            if (!contains(output, a) && !contains(inputs, a)) {
                a.close();
            }
        }
    }

    private static boolean contains(NDList list, NDArray a) {
        for (NDArray x : list) {
            if (x == a) {
                return true;
            }
        }
        return false;
    }
}
