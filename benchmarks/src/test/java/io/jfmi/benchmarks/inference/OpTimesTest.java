package io.jfmi.benchmarks.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self times from nested libtorch events and flat ONNX Runtime node events, summed by operator kind. */
class OpTimesTest {
    @TempDir
    Path dir;

    @Test
    void libtorchSelfTimeIsDurationLessChildrenOnTheSameThread() throws Exception {
        Path trace = dir.resolve("t.json");
        // aten::linear [0,100) holds aten::addmm [10,60) which holds aten::copy_ [20,30); another thread's
        // aten::gelu [5,45) overlaps in time but is not a child.
        Files.writeString(trace, """
                {"traceEvents": [
                 {"ph": "X", "name": "aten::linear", "tid": 1, "ts": 0, "dur": 100},
                 {"ph": "X", "name": "aten::addmm", "tid": 1, "ts": 10, "dur": 50},
                 {"ph": "X", "name": "aten::copy_", "tid": 1, "ts": 20, "dur": 10},
                 {"ph": "X", "name": "aten::gelu", "tid": 2, "ts": 5, "dur": 40},
                 {"ph": "i", "name": "marker", "tid": 1, "ts": 3}
                ]}""");
        String table = OpTimes.ofLibtorchTrace(trace).table(1);
        // linear 50 + addmm 40 = 90 us of matrix products, copy 10, gelu 40; total 140 us = 0.14 ms
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%-28s %12.2f", "matrix products", 0.09)),
                table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%-28s %12.2f", "copies and shapes", 0.01)),
                table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%-28s %12.2f", "total (operator self time)",
                0.14)), table);
    }

    @Test
    void onnxRuntimeNodesAreSummedByOperator() throws Exception {
        Path trace = dir.resolve("o.json");
        Files.writeString(trace, """
                [{"cat": "Session", "name": "model_run", "dur": 999},
                 {"cat": "Node", "name": "mm1_kernel_time", "dur": 300, "args": {"op_name": "MatMul"}},
                 {"cat": "Node", "name": "mm1_fence_before", "dur": 1, "args": {"op_name": "MatMul"}},
                 {"cat": "Node", "name": "mm2_kernel_time", "dur": 100, "args": {"op_name": "MatMul"}},
                 {"cat": "Node", "name": "sm_kernel_time", "dur": 100, "args": {"op_name": "Softmax"}}]""");
        String table = OpTimes.ofOrtTrace(trace).table(2);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%-28s %12.2f", "matrix products", 0.2)),
                table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%-40s %12.2f %8.0f", "MatMul", 0.2, 1.0)),
                table);
    }

    @Test
    void kindsByName() {
        assertEquals("matrix products", OpTimes.kindOf("aten::addmm"));
        assertEquals("convolution", OpTimes.kindOf("aten::mkldnn_convolution"));
        assertEquals("layer norm", OpTimes.kindOf("LayerNormalization"));
        assertEquals("pooling", OpTimes.kindOf("aten::max_pool2d_with_indices"));
        assertEquals("other", OpTimes.kindOf("aten::dropout"));
    }
}
