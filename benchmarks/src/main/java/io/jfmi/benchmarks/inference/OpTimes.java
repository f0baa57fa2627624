package io.jfmi.benchmarks.inference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operator self-times from a profiler trace (Chrome trace JSON), summed by operator and by kind. libtorch's events
 * nest (aten::linear contains aten::addmm), so each event's self time is its duration less its children's on the
 * same thread; ONNX Runtime's node events do not nest.
 */
final class OpTimes {
    /** Kinds in the order the table lists them; an operator whose name contains a key belongs to that kind. */
    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        for (String k : new String[] {"addmm", "matmul", "::mm", "bmm", "linear", "MatMul", "Gemm", "Attention"}) {
            KINDS.put(k, "matrix products");
        }
        for (String k : new String[] {"conv", "Conv"}) {
            KINDS.put(k, "convolution");
        }
        for (String k : new String[] {"pool", "Pool"}) {
            KINDS.put(k, "pooling");
        }
        for (String k : new String[] {"softmax", "Softmax"}) {
            KINDS.put(k, "softmax");
        }
        for (String k : new String[] {"layer_norm", "LayerNorm"}) {
            KINDS.put(k, "layer norm");
        }
        for (String k : new String[] {"gelu", "Gelu"}) {
            KINDS.put(k, "gelu");
        }
        for (String k : new String[] {"copy", "contiguous", "clone", "transpose", "permute", "Transpose", "cat",
            "Concat", "reshape", "Reshape", "view", "expand", "Expand", "slice", "Slice", "Gather", "select",
            "flatten", "Flatten", "unsqueeze", "Unsqueeze", "empty", "as_strided", "chunk", "split", "Split"}) {
            KINDS.put(k, "copies and shapes");
        }
        for (String k : new String[] {"add", "Add", "mul", "Mul", "div", "Div", "sub", "Sub", "pow", "Pow", "sqrt",
            "Sqrt", "tanh", "Tanh", "erf", "Erf", "mean", "Reduce", "log", "Log", "relu", "Relu", "clamp"}) {
            KINDS.put(k, "elementwise and reductions");
        }
    }

    private final Map<String, double[]> byOp; // op -> {self microseconds, calls}

    private OpTimes(Map<String, double[]> byOp) {
        this.byOp = byOp;
    }

    static String kindOf(String op) {
        for (Map.Entry<String, String> e : KINDS.entrySet()) {
            if (op.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return "other";
    }

    /** libtorch's trace: complete events ("ph":"X") with ts and dur in microseconds, nested per thread. */
    static OpTimes ofLibtorchTrace(Path trace) throws IOException {
        JsonArray events = traceEvents(trace);
        Map<String, List<JsonObject>> byThread = new HashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("dur") && "X".equals(str(o, "ph"))) {
                byThread.computeIfAbsent(str(o, "tid"), k -> new ArrayList<>()).add(o);
            }
        }
        Map<String, double[]> byOp = new TreeMap<>();
        for (List<JsonObject> list : byThread.values()) {
            list.sort(Comparator.comparingDouble((JsonObject o) -> o.get("ts").getAsDouble())
                    .thenComparing(o -> -o.get("dur").getAsDouble()));
            ArrayDeque<double[]> stack = new ArrayDeque<>(); // {end, index}
            double[] self = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                double ts = list.get(i).get("ts").getAsDouble();
                double dur = list.get(i).get("dur").getAsDouble();
                while (!stack.isEmpty() && stack.peek()[0] <= ts) {
                    stack.pop();
                }
                self[i] = dur;
                if (!stack.isEmpty()) {
                    self[(int) stack.peek()[1]] -= dur;
                }
                stack.push(new double[] {ts + dur, i});
            }
            for (int i = 0; i < list.size(); i++) {
                double[] acc = byOp.computeIfAbsent(str(list.get(i), "name"), k -> new double[2]);
                acc[0] += Math.max(0, self[i]);
                acc[1]++;
            }
        }
        return new OpTimes(byOp);
    }

    /** ONNX Runtime's trace: "Node" events named NODE_kernel_time, with the operator in args.op_name. */
    static OpTimes ofOrtTrace(Path trace) throws IOException {
        Map<String, double[]> byOp = new TreeMap<>();
        for (JsonElement e : traceEvents(trace)) {
            JsonObject o = e.getAsJsonObject();
            if (!"Node".equals(str(o, "cat")) || !str(o, "name").endsWith("_kernel_time") || !o.has("args")) {
                continue;
            }
            JsonObject a = o.getAsJsonObject("args");
            String op = a.has("op_name") ? a.get("op_name").getAsString() : str(o, "name");
            double[] acc = byOp.computeIfAbsent(op, k -> new double[2]);
            acc[0] += o.get("dur").getAsDouble();
            acc[1]++;
        }
        return new OpTimes(byOp);
    }

    private static JsonArray traceEvents(Path trace) throws IOException {
        try (Reader in = Files.newBufferedReader(trace)) {
            JsonElement root = JsonParser.parseReader(in);
            return root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        }
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }

    /** Per kind: ms per batch and share; then the ten costliest operators. */
    String table(int batches) {
        Map<String, Double> kinds = new LinkedHashMap<>();
        for (String k : new LinkedHashMap<>(KINDS).values()) {
            kinds.putIfAbsent(k, 0.0);
        }
        kinds.put("other", 0.0);
        double total = 0;
        for (Map.Entry<String, double[]> e : byOp.entrySet()) {
            kinds.merge(kindOf(e.getKey()), e.getValue()[0], Double::sum);
            total += e.getValue()[0];
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %12s %7s%n", "kind",
                "ms per batch", "share"));
        for (Map.Entry<String, Double> e : kinds.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-28s %12.2f %6.1f%%%n", e.getKey(), e.getValue() / 1000 / batches,
                    100 * e.getValue() / total));
        }
        sb.append(String.format(Locale.ROOT, "%-28s %12.2f%n", "total (operator self time)", total / 1000 / batches));
        sb.append(String.format(Locale.ROOT, "%-40s %12s %8s%n", "costliest operators", "ms per batch", "calls"));
        byOp.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0])).limit(12)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%-40s %12.2f %8.0f%n", e.getKey(),
                        e.getValue()[0] / 1000 / batches, e.getValue()[1] / batches)));
        return sb.toString();
    }
}
