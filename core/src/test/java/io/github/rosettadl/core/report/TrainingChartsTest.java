package io.github.rosettadl.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.History;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

import tech.tablesaw.api.Table;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;

class TrainingChartsTest {

    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** The darkest colour of the heat map's ramp, the colour of its largest count. */
    private static final Color DARKEST = new Color(0x08, 0x30, 0x6B);

    @TempDir
    Path dir;

    /** A run whose numbers have all their digits, as real losses and accuracies do. */
    private static Table history(int epochs) {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            rows.add(new EpochMetrics(e, 0.5 / e + 0.0123456789 * Math.sqrt(e), 0.9 + 0.09 * (1 - 1.0 / e) + 1e-3 / Math.E,
                    0.45 / e + 0.01 / Math.PI, 0.91 + 0.08 * (1 - 1.0 / e) + Math.sqrt(2) / 1e4, 2.0, 30000));
        }
        return new History(rows).toTable();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 10})
    void shortAndLongRunsGetShortTickLabelsAndALegendOutsideThePlot(int epochs) throws IOException {
        Table table = history(epochs);
        for (XYChart chart : List.of(TrainingCharts.lossCurves(table, "mlp on MNIST"),
                TrainingCharts.accuracyCurves(table, "mlp on MNIST"))) {
            Function<Double, String> y = chart.getStyler().getyAxisTickLabelsFormattingFunction();
            assertNotNull(y, "the value axis has a tick formatter");
            // the values themselves and XChart's tick steps, which carry binary rounding noise
            for (double value : new double[] {table.doubleColumn("train_accuracy").get(0),
                    table.doubleColumn("val_loss").get(0), 0.9050000000000001, 0.30000000000000004}) {
                String label = y.apply(value);
                assertTrue(label.length() <= 7, "tick label '" + label + "' for " + value);
            }
            Styler.LegendPosition legend = chart.getStyler().getLegendPosition();
            assertTrue(legend == Styler.LegendPosition.OutsideS || legend == Styler.LegendPosition.OutsideE,
                    "legend at " + legend + " covers the curves");
            Path png = dir.resolve(epochs + "-" + chart.getTitle().replace(' ', '_').replace(':', '_') + ".png");
            TrainingCharts.savePng(chart, png);
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(TrainingCharts.WIDTH, image.getWidth());
            assertEquals(TrainingCharts.HEIGHT, image.getHeight());
        }
    }

    @Test
    void tickLabelsKeepTheDigitsThatTellTicksApartAndNoMore() {
        Function<Double, String> narrow = TrainingCharts.tickLabels(0.0098);
        assertEquals("0.90037", narrow.apply(0.900367879441171));
        assertEquals("0.9005", narrow.apply(0.9005000000000001));
        Function<Double, String> wide = TrainingCharts.tickLabels(0.5);
        assertEquals("0.25", wide.apply(0.25000000000000006));
        assertEquals("0", wide.apply(-1e-17));
        assertEquals("2", TrainingCharts.tickLabels(40).apply(2.0000000000000004));
    }

    @Test
    void epochTicksAreWholeNumbers() {
        Function<Double, String> x = TrainingCharts.lossCurves(history(5), "t").getStyler()
                .getxAxisTickLabelsFormattingFunction();
        assertNotNull(x);
        assertEquals("3", x.apply(3.0));
        assertEquals("", x.apply(2.5));
    }

    @Test
    void theValueAxisLeavesRoomAroundOneEpochAndKeepsAccuracyWithinZeroAndOne() {
        double[] single = TrainingCharts.valueAxisRange(false, new double[] {2.123}, new double[] {Double.NaN});
        assertTrue(single[0] < 2.123 && 2.123 < single[1], single[0] + ".." + single[1]);
        double[] accuracy = TrainingCharts.valueAxisRange(true, new double[] {0.5, 1.0});
        assertEquals(1.0, accuracy[1]);
        assertTrue(accuracy[0] < 0.5 && accuracy[0] >= 0);
        double[] perfect = TrainingCharts.valueAxisRange(true, new double[] {1.0});
        assertTrue(perfect[0] < 1.0 && perfect[1] == 1.0, perfect[0] + ".." + perfect[1]);
        assertNull(TrainingCharts.valueAxisRange(false, new double[] {Double.NaN}));
    }

    @Test
    void longClassNamesAreTurnedSoTheyDoNotRunIntoEachOther() {
        assertEquals(45, TrainingCharts.confusionHeatMap(confusion(FASHION), "mlp").getStyler().getXAxisLabelRotation());
        assertEquals(45, TrainingCharts.confusionHeatMap(confusion(CIFAR), "cnn").getStyler().getXAxisLabelRotation());
        assertEquals(0, TrainingCharts.confusionHeatMap(confusion(DIGITS), "mlp").getStyler().getXAxisLabelRotation());
        assertEquals(0, TrainingCharts.confusionHeatMap(confusion(List.of("cat", "dog", "bird")), "t").getStyler()
                .getXAxisLabelRotation());
    }

    @Test
    void valueTextIsLightOnDarkCellsAndDarkOnLightOnes() {
        assertEquals(Color.WHITE, ContrastingHeatMapChart.textColorOn(DARKEST));
        assertEquals(Color.WHITE, ContrastingHeatMapChart.textColorOn(new Color(0x21, 0x71, 0xB5)));
        assertEquals(Color.BLACK, ContrastingHeatMapChart.textColorOn(Color.WHITE));
        assertEquals(Color.BLACK, ContrastingHeatMapChart.textColorOn(new Color(0x9E, 0xCA, 0xE1)));
    }

    @Test
    void theCountOnTheDarkestCellIsDrawnInLightPixels(@TempDir Path out) throws IOException {
        HeatMapChart chart = TrainingCharts.confusionHeatMap(confusion(FASHION), "mlp on Fashion-MNIST");
        Path png = out.resolve("confusion.png");
        TrainingCharts.savePng(chart, png);
        BufferedImage image = ImageIO.read(png.toFile());

        // the largest count (one cell only) is painted in the ramp's darkest colour: find that cell
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = -1;
        int bottom = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (DARKEST.getRGB() & 0xFFFFFF)) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        assertTrue(right > left + 20 && bottom > top + 20, "no dark cell found");
        int light = 0;
        int dark = 0;
        for (int y = top; y <= bottom; y++) {
            for (int x = left; x <= right; x++) {
                double luminance = ContrastingHeatMapChart.relativeLuminance(image.getRGB(x, y));
                if (luminance > 0.7) {
                    light++;
                } else if (luminance < 0.005) {
                    dark++;
                }
            }
        }
        assertTrue(light > 30, "the count on the darkest cell has " + light + " light pixels");
        assertEquals(0, dark, "black text pixels on the darkest cell");
    }

    /** Mostly right, one class far more often than the others, so a single cell is the darkest. */
    private static ConfusionMatrix confusion(List<String> names) {
        int n = names.size();
        List<Integer> labels = new ArrayList<>();
        List<Integer> predictions = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            int examples = actual == 2 ? 900 : 500;
            for (int i = 0; i < examples; i++) {
                labels.add(actual);
                predictions.add(i % 10 == 0 ? (actual + 1 + i / 10) % n : actual);
            }
        }
        return ConfusionMatrix.of(labels.stream().mapToInt(Integer::intValue).toArray(),
                predictions.stream().mapToInt(Integer::intValue).toArray(), names);
    }
}
