package io.github.rosettadl.core.report;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.metrics.ConfusionMatrix;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * XChart figures of a training run: loss and accuracy curves from the history table, and the
 * confusion matrix as a heat map. Used by the command line (PNG files) and the notebooks
 * ({@code display(image)}).
 */
public final class TrainingCharts {

    /** Width of every chart, in pixels. */
    public static final int WIDTH = 800;
    /** Height of the curve charts, in pixels. */
    public static final int HEIGHT = 500;

    private TrainingCharts() {}

    /**
     * Train and validation loss per epoch.
     *
     * @param history the history table (columns epoch, train_loss, val_loss, ...)
     * @param title the chart title, for example the model and dataset
     * @return the chart
     */
    public static XYChart lossCurves(Table history, String title) {
        return curves(history, title + ": loss", "loss", "train_loss", "val_loss");
    }

    /**
     * Train and validation accuracy per epoch.
     *
     * @param history the history table (columns epoch, train_accuracy, val_accuracy, ...)
     * @param title the chart title, for example the model and dataset
     * @return the chart
     */
    public static XYChart accuracyCurves(Table history, String title) {
        return curves(history, title + ": accuracy", "accuracy", "train_accuracy", "val_accuracy");
    }

    private static XYChart curves(Table history, String title, String yTitle, String train, String validation) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] epochs = column(history, "epoch");
        addSeries(chart, train.replace('_', ' '), epochs, column(history, train));
        addSeries(chart, validation.replace("val_", "validation ").replace('_', ' '),
                epochs, column(history, validation));
        return chart;
    }

    private static void addSeries(XYChart chart, String name, double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            // an epoch without validation data has NaN: leave the point out rather than break the line
            if (!Double.isNaN(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (!ys.isEmpty()) {
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static double[] column(Table table, String name) {
        if (!table.containsColumn(name)) {
            throw new IllegalArgumentException("The history table has no column '" + name + "'; it has "
                    + table.columnNames() + ".");
        }
        return ((NumericColumn<?>) table.column(name)).asDoubleArray();
    }

    /**
     * The confusion matrix as a heat map, with counts in the cells and the first class at the top.
     *
     * @param confusion the confusion matrix
     * @param title the chart title
     * @return the chart
     */
    public static HeatMapChart confusionHeatMap(ConfusionMatrix confusion, String title) {
        List<String> classNames = confusion.classNames();
        int n = classNames.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(WIDTH)
                .title(title + ": confusion matrix (rows: actual, columns: predicted)")
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setRangeColors(
                new Color[] {Color.WHITE, new Color(0x9E, 0xCA, 0xE1), new Color(0x08, 0x30, 0x6B)});
        chart.getStyler().setLegendVisible(false);
        long max = 0;
        List<Number[]> cells = new ArrayList<>(n * n);
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                long count = confusion.count(actual, predicted);
                max = Math.max(max, count);
                // the y axis runs upwards: flip rows so the first class is at the top, as printed tables are
                cells.add(new Number[] {predicted, n - 1 - actual, count});
            }
        }
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(Math.max(1, max));
        List<String> reversed = new ArrayList<>(classNames);
        Collections.reverse(reversed);
        chart.addSeries("confusion", classNames, reversed, cells);
        return chart;
    }

    /**
     * Renders a chart to an image, for notebooks.
     *
     * @param chart the chart
     * @return the rendered image
     */
    public static BufferedImage toImage(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes a chart as a PNG, atomically: a reader never sees a half-written file.
     *
     * @param chart the chart
     * @param file the target file, ending in {@code .png}
     */
    public static void savePng(Chart<?, ?> chart, Path file) {
        AtomicFile.write(file, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
