package io.jfmi.benchmarks.coldstart;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The runs of one variant and the figures made from them (p50 and max of each measure). */
final class ColdStartRuns {
    /** Measures reported, in table order, with their column headings. */
    static final String[][] MEASURES = {{"init_ms", "Init"}, {"first_invocation_ms", "1st invocation"},
        {"second_invocation_ms", "2nd invocation"}, {"combine_first_ms", "combine, 1st call"},
        {"combine_warm_ms", "combine, warm"}};

    final String variant;
    final List<JsonObject> runs = new ArrayList<>();

    ColdStartRuns(String variant) {
        this.variant = variant;
    }

    void add(JsonObject run) {
        runs.add(run);
    }

    double p50(String key) {
        return ColdStartCommand.quantile(ColdStartCommand.values(runs, key), 0.5);
    }

    double max(String key) {
        return ColdStartCommand.quantile(ColdStartCommand.values(runs, key), 1.0);
    }

    String summaryLine() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-18s %2d runs", variant, runs.size()));
        for (String[] m : MEASURES) {
            sb.append(String.format(Locale.ROOT, "  %s p50 %.0f max %.0f ms", m[1], p50(m[0]), max(m[0])));
        }
        return sb.toString();
    }

    static String markdownTable(List<ColdStartRuns> all, int cpus) {
        StringBuilder sb = new StringBuilder();
        sb.append("Cold starts, ").append(cpus).append(" core(s); p50 / max in ms over fresh JVMs\n\n");
        sb.append("| variant | runs | engine |");
        for (String[] m : MEASURES) {
            sb.append(' ').append(m[1]).append(" |");
        }
        sb.append("\n|---|---|---|");
        sb.append("---|".repeat(MEASURES.length)).append('\n');
        for (ColdStartRuns r : all) {
            sb.append("| ").append(r.variant).append(" | ").append(r.runs.size()).append(" | ")
                    .append(r.runs.get(0).get("engine").getAsString()).append(" |");
            for (String[] m : MEASURES) {
                sb.append(String.format(Locale.ROOT, " %.0f / %.0f |", r.p50(m[0]), r.max(m[0])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String csv(List<ColdStartRuns> all) {
        StringBuilder sb = new StringBuilder("variant,run");
        String[] keys = {"jvm_to_main_ms", "init_ms", "handler_constructor_ms", "first_invocation_ms",
            "second_invocation_ms", "first_model_s", "first_job_s", "second_job_s", "combine_first_ms",
            "combine_warm_ms"};
        for (String k : keys) {
            sb.append(',').append(k);
        }
        sb.append('\n');
        for (ColdStartRuns r : all) {
            for (int i = 0; i < r.runs.size(); i++) {
                sb.append(r.variant).append(',').append(i);
                for (String k : keys) {
                    sb.append(',').append(r.runs.get(i).get(k).getAsString());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
