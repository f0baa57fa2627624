package io.jfmi.worker.job;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The job's PNG plots, written atomically like every other output. */
public final class Plots {
    static final int DENSITY_GRID = 50;
    static final int DENSITY_LEVELS = 6;

    private Plots() {
    }

    /**
     * True against predicted redshift, each point coloured by how many points share its neighbourhood (a 2-D
     * histogram), with the y = x line: the study's plot.
     */
    public static void redshiftScatter(Path file, float[] zTrue, float[] zPred) throws IOException {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < zTrue.length; i++) {
            lo = Math.min(lo, Math.min(zTrue[i], zPred[i]));
            hi = Math.max(hi, Math.max(zTrue[i], zPred[i]));
        }
        if (zTrue.length == 0) {
            lo = 0;
            hi = 1;
        }
        double span = Math.max(1e-9, hi - lo);
        int[][] grid = new int[DENSITY_GRID][DENSITY_GRID];
        int max = 1;
        for (int i = 0; i < zTrue.length; i++) {
            int gx = cell(zTrue[i], lo, span);
            int gy = cell(zPred[i], lo, span);
            max = Math.max(max, ++grid[gx][gy]);
        }
        List<List<double[]>> levels = new ArrayList<>();
        for (int l = 0; l < DENSITY_LEVELS; l++) {
            levels.add(new ArrayList<>());
        }
        for (int i = 0; i < zTrue.length; i++) {
            int d = grid[cell(zTrue[i], lo, span)][cell(zPred[i], lo, span)];
            double scaled = Math.floor(Math.log1p(d) / Math.log1p(max) * DENSITY_LEVELS);
            int level = (int) Math.min(DENSITY_LEVELS - 1, scaled);
            levels.get(level).add(new double[] {zTrue[i], zPred[i]});
        }
        XYChart c = new XYChartBuilder().width(700).height(640).title("Predicted vs true redshift (" + zTrue.length
                + " galaxies)").xAxisTitle("true z").yAxisTitle("predicted z").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(3);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (int l = 0; l < DENSITY_LEVELS; l++) {
            List<double[]> pts = levels.get(l);
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries("density " + (l + 1) + "/" + DENSITY_LEVELS,
                    pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(viridisLike((double) l / (DENSITY_LEVELS - 1)));
        }
        XYSeries line = c.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.RED);
        save(c, file);
    }

    /** Samples per second of each rank's inference loop. */
    public static void throughputPerRank(Path file, RankStats[] ranks) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(700).height(450).title("Inference throughput per rank")
                .xAxisTitle("rank").yAxisTitle("samples/s").build();
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (RankStats r : ranks) {
            names.add(Integer.toString(r.rank()));
            rates.add(r.samplesPerSecond());
        }
        c.addSeries("samples/s", names, rates);
        save(c, file);
    }

    private static int cell(double v, double lo, double span) {
        return (int) Math.min(DENSITY_GRID - 1, Math.max(0, Math.floor((v - lo) / span * DENSITY_GRID)));
    }

    /** Dark blue (sparse) through green to yellow (dense). */
    private static Color viridisLike(double t) {
        Color[] stops = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
            new Color(94, 201, 98), new Color(253, 231, 37)};
        double x = t * (stops.length - 1);
        int i = (int) Math.min(stops.length - 2, Math.floor(x));
        double f = x - i;
        Color a = stops[i];
        Color b = stops[i + 1];
        return new Color((int) (a.getRed() + f * (b.getRed() - a.getRed())),
                (int) (a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) (a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
