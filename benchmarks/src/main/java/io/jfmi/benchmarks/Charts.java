package io.jfmi.benchmarks;

import io.jfmi.benchmarks.collective.ResultRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of measured latency: one chart per op and rank count, one line per system, log-log axes. */
public final class Charts {
    private Charts() {
    }

    public static void latencyBySize(List<ResultRow> rows, Path dir) throws IOException {
        Map<String, List<ResultRow>> byChart = rows.stream().filter(r -> !r.op().equals("barrier")
                && !r.op().equals("pingpong")).collect(Collectors.groupingBy(r -> r.op() + "-" + r.ranks(),
                        TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<ResultRow>> chart : byChart.entrySet()) {
            List<ResultRow> points = chart.getValue();
            ResultRow any = points.get(0);
            XYChart c = new XYChartBuilder().width(800).height(500)
                    .title(any.op() + ", " + any.ranks() + " ranks (mean latency)").xAxisTitle("bytes per rank")
                    .yAxisTitle("µs").build();
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setYAxisLogarithmic(true);
            Map<String, List<ResultRow>> bySystem = points.stream().collect(Collectors.groupingBy(ResultRow::system,
                    TreeMap::new, Collectors.toList()));
            bySystem.forEach((system, series) -> {
                List<ResultRow> sorted = series.stream().filter(r -> r.bytes() > 0)
                        .sorted((a, b) -> Long.compare(a.bytes(), b.bytes())).toList();
                if (!sorted.isEmpty()) {
                    c.addSeries(system, sorted.stream().mapToDouble(ResultRow::bytes).toArray(),
                            sorted.stream().mapToDouble(ResultRow::meanUs).toArray()).setMarker(SeriesMarkers.CIRCLE);
                }
            });
            if (!c.getSeriesMap().isEmpty()) {
                BitmapEncoder.saveBitmap(c, dir.resolve("latency-" + chart.getKey()).toString(),
                        BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }
}
