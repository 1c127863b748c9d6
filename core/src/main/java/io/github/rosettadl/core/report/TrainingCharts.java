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
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

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
     * An empty line chart on white with its legend to the right of the plot, wider by the legend's
     * room: for charts with more series than fit in one row below the plot.
     *
     * @param title the chart title
     * @param xTitle the x axis title
     * @param yTitle the y axis title
     * @return the chart, without series
     */
    public static XYChart legendBeside(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH + 200).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    /**
     * Train and validation loss per epoch.
     *
     * @param history the history table (columns epoch, train_loss, val_loss, ...)
     * @param title the chart title, for example the model and dataset
     * @return the chart
     */
    public static XYChart lossCurves(Table history, String title) {
        return curves(history, title + ": loss", "loss", "train_loss", "val_loss", false);
    }

    /**
     * Train and validation accuracy per epoch.
     *
     * @param history the history table (columns epoch, train_accuracy, val_accuracy, ...)
     * @param title the chart title, for example the model and dataset
     * @return the chart
     */
    public static XYChart accuracyCurves(Table history, String title) {
        return curves(history, title + ": accuracy", "accuracy", "train_accuracy", "val_accuracy", true);
    }

    private static XYChart curves(Table history, String title, String yTitle, String train, String validation,
            boolean fraction) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        // below the plot, never over it: inside, the legend hid the last epochs of a rising accuracy curve
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] epochs = column(history, "epoch");
        double[] trainValues = column(history, train);
        double[] validationValues = column(history, validation);
        addSeries(chart, train.replace('_', ' '), epochs, trainValues);
        addSeries(chart, validation.replace("val_", "validation ").replace('_', ' '), epochs, validationValues);
        double[] range = valueAxisRange(fraction, trainValues, validationValues);
        if (range != null) {
            chart.getStyler().setYAxisMin(range[0]);
            chart.getStyler().setYAxisMax(range[1]);
            chart.setCustomYAxisTickLabelsFormatter(tickLabels(range[1] - range[0]));
        }
        // epochs are whole numbers: a tick between two epochs gets no label
        chart.setCustomXAxisTickLabelsFormatter(
                epoch -> epoch == Math.rint(epoch) ? Long.toString(Math.round(epoch)) : "");
        return chart;
    }

    /**
     * The value axis's range: the finite values with 5% room above and below, so that no point sits on
     * the frame, kept within [0, 1] for fractions such as accuracy.
     *
     * @param fraction whether the values are fractions (accuracy)
     * @param series the plotted values; NaN (an epoch without validation) is left out
     * @return {min, max}, or null when there is no finite value
     */
    static double[] valueAxisRange(boolean fraction, double[]... series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] values : series) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return null;
        }
        // one epoch, or a flat curve: give the axis a span around the value
        double room = max > min ? 0.05 * (max - min) : Math.max(0.05 * Math.abs(max), 0.01);
        double low = min - room;
        double high = max + room;
        if (fraction) {
            low = Math.max(0, low);
            high = Math.min(1, high);
            if (high <= low) {
                low = Math.max(0, high - 0.02);
                high = Math.min(1, low + 0.02);
            }
        }
        return new double[] {low, high};
    }

    /**
     * Tick labels with as many decimals as an axis spanning {@code span} needs to tell its ticks apart
     * (two more than the span's first significant digit, at most six), trailing zeros dropped: 0.905
     * rather than 0.9050000000000001.
     *
     * @param span the axis's max minus min
     * @return the formatter
     */
    static Function<Double, String> tickLabels(double span) {
        int magnitude = span > 0 && Double.isFinite(span) ? (int) Math.floor(Math.log10(span)) : 0;
        int decimals = Math.max(0, Math.min(6, 2 - magnitude));
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "0" : "0." + "#".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return value -> {
            String label = format.format(value);
            // DecimalFormat writes a tick just below zero as "-0"
            return label.equals("-0") ? "0" : label;
        };
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
        HeatMapChart chart = new ContrastingHeatMapChart(new HeatMapChartBuilder().width(WIDTH).height(WIDTH)
                .title(title + ": confusion matrix (rows: actual, columns: predicted)")
                .xAxisTitle("predicted").yAxisTitle("actual"));
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setRangeColors(
                new Color[] {Color.WHITE, new Color(0x9E, 0xCA, 0xE1), new Color(0x08, 0x30, 0x6B)});
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(xLabelRotation(classNames, chart.getStyler().getAxisTickLabelsFont(), n));
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
     * The rotation of the predicted-class labels: none when the widest name fits a column, else 45
     * degrees, so that names such as "T-shirt/top" and "automobile" do not run into their neighbours.
     *
     * @param classNames the labels
     * @param font the tick label font
     * @param columns the number of columns
     * @return 0 or 45
     */
    static int xLabelRotation(List<String> classNames, Font font, int columns) {
        FontRenderContext context = new FontRenderContext(null, true, false);
        double widest = 0;
        for (String name : classNames) {
            if (!name.isEmpty()) {
                widest = Math.max(widest, new TextLayout(name, font, context).getBounds().getWidth());
            }
        }
        // the plot takes about three quarters of the width; keep a few pixels between neighbours
        double column = 0.75 * WIDTH / Math.max(1, columns);
        return widest + 8 > column ? 45 : 0;
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
