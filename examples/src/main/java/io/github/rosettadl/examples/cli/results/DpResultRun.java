package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.report.TrainingCharts;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.examples.cli.ModelChoice;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DP-SGD rows of the results, each set on MNIST at three noise levels and the same in everything
 * else, so the rows trace accuracy against epsilon: Tramèr and Boneh's tanh CNN ({@code tanh-cnn}) with
 * its defaults, and the TensorFlow tutorial's CNN ({@code cifar-cnn}) with plain SGD for 4 epochs.
 */
public enum DpResultRun {
    /** Little noise: epsilon about 7.3, near Abadi et al.'s largest budget of 8. */
    TANH_SIGMA_0_75(ModelChoice.TANH_CNN, 0.75, null),
    /**
     * Epsilon 2.53, or 2.93 with the classic conversion, Tramèr and Boneh's budget: under 3 either way,
     * the run held to 97%.
     */
    TANH_SIGMA_1_25(ModelChoice.TANH_CNN, 1.25, 97.0),
    /** Much noise: epsilon about 1. */
    TANH_SIGMA_2_5(ModelChoice.TANH_CNN, 2.5, null),
    /** The tutorial CNN with little noise: epsilon about 8.5 after 4 epochs. */
    CIFAR_SIGMA_0_5(ModelChoice.CIFAR_CNN, 0.5, null),
    /** The tutorial CNN at epsilon about 2.9. */
    CIFAR_SIGMA_0_7(ModelChoice.CIFAR_CNN, 0.7, null),
    /** The tutorial CNN with much noise: epsilon about 1.1. */
    CIFAR_SIGMA_1_0(ModelChoice.CIFAR_CNN, 1.0, null);

    /** The target delta, below 1 / 60,000. */
    public static final double DELTA = 1e-5;

    private final ModelChoice model;
    private final double noiseMultiplier;
    private final Double target;

    DpResultRun(ModelChoice model, double noiseMultiplier, Double target) {
        this.model = model;
        this.noiseMultiplier = noiseMultiplier;
        this.target = target;
    }

    /**
     * The row's id.
     *
     * @return for example {@code tanh-cnn-dp-sigma1.25/mnist}
     */
    public String id() {
        return model.cliName() + "-dp-sigma" + noiseMultiplier + "/mnist";
    }

    /**
     * The model trained.
     *
     * @return tanh-cnn or cifar-cnn
     */
    public ModelChoice model() {
        return model;
    }

    /**
     * Sigma.
     *
     * @return the noise multiplier
     */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /**
     * The per-example clipping norm: Tramèr and Boneh's 0.1 for tanh-cnn, 1.0 (the tutorials') for cifar-cnn.
     *
     * @return C
     */
    public double maxGradNorm() {
        return model == ModelChoice.TANH_CNN ? 0.1 : 1.0;
    }

    /**
     * The accuracy the row is held to, if any.
     *
     * @return a percentage, or null
     */
    public Double target() {
        return target;
    }

    /**
     * tanh-cnn's own settings (SGD 0.5 with momentum 0.9, expected batch 512, 40 epochs); for
     * cifar-cnn SGD 0.7 without momentum, expected batch 256, 4 epochs.
     *
     * @return the hyperparameters
     */
    public TrainingConfig config() {
        return model == ModelChoice.TANH_CNN ? model.seedConfig()
                : TrainingConfig.sgd(0.7f).withBatchSize(256).withEpochs(4);
    }

    /**
     * The command that repeats the row.
     *
     * @return a {@code ./rosetta train} line
     */
    public String command() {
        TrainingConfig c = config();
        String tail = model == ModelChoice.TANH_CNN ? ""
                : String.format(Locale.ROOT, " --batch-size %d --epochs %d --optimizer sgd --lr %s", c.batchSize(),
                        c.epochs(), c.learningRate());
        return String.format(Locale.ROOT, "./rosetta train %s --dataset mnist --dp --noise-multiplier %s"
                + " --max-grad-norm %s --delta %s%s", model.cliName(), noiseMultiplier, maxGradNorm(), DELTA, tail);
    }

    /** The chart beside the example pages, drawn from the stored rows. */
    public static final String CHART = "dp-sgd-curves.png";

    private static final String CURVE_START = "after epoch (epsilon, test accuracy) ";
    private static final Pattern CURVE_POINT = Pattern.compile("(\\d+): ([0-9.]+), ([0-9.]+)%");
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    /**
     * One point of a row's epsilon-accuracy curve.
     *
     * @param epoch the epoch, from 1
     * @param epsilon the epsilon spent by then
     * @param accuracy the test accuracy then, in percent
     */
    public record CurvePoint(int epoch, double epsilon, double accuracy) {
    }

    /**
     * The curve as a row's detail writes it.
     *
     * @param points the points, in epoch order
     * @return for example {@code after epoch (epsilon, test accuracy) 1: 0.95, 82.02%; 2: 1.10, 91.50%}
     */
    public static String curveText(List<CurvePoint> points) {
        List<String> parts = new ArrayList<>();
        for (CurvePoint p : points) {
            parts.add(String.format(Locale.ROOT, "%d: %.2f, %.2f%%", p.epoch(), p.epsilon(), p.accuracy()));
        }
        return CURVE_START + String.join("; ", parts);
    }

    /**
     * The curve a row's detail holds, as {@link #curveText} wrote it.
     *
     * @param detail a stored row's detail
     * @return the points, none for a row stored without its curve
     */
    public static List<CurvePoint> curveOf(String detail) {
        List<CurvePoint> points = new ArrayList<>();
        int start = detail.indexOf(CURVE_START);
        if (start < 0) {
            return points;
        }
        Matcher m = CURVE_POINT.matcher(detail.substring(start + CURVE_START.length()));
        while (m.find()) {
            points.add(new CurvePoint(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))));
        }
        return points;
    }

    /**
     * Test accuracy against epsilon for each stored DP-SGD row that holds its curve, one line per noise
     * level.
     *
     * @param rows every stored row
     * @return the chart, or null when no row holds a curve
     */
    public static XYChart curveChart(List<ResultRow> rows) {
        XYChart chart = TrainingCharts.legendBeside("DP-SGD on MNIST: test accuracy against epsilon (delta 1e-5)",
                "epsilon", "test accuracy, %");
        boolean any = false;
        for (DpResultRun run : values()) {
            List<CurvePoint> points = rows.stream().filter(r -> r.id().equals(run.id())).findFirst()
                    .map(r -> curveOf(r.detail())).orElse(List.of());
            if (points.isEmpty()) {
                continue;
            }
            any = true;
            Color color = COLORS[run.ordinal() % COLORS.length];
            XYSeries series = chart.addSeries(run.model().cliName() + ", sigma " + run.noiseMultiplier(),
                    points.stream().map(CurvePoint::epsilon).toList(),
                    points.stream().map(CurvePoint::accuracy).toList());
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineStyle(run.model() == ModelChoice.TANH_CNN ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        }
        return any ? chart : null;
    }

    /**
     * Writes {@value #CHART} into the example pages' folder when rows with curves are stored.
     *
     * @param dir the folder of the example pages; nothing happens when it does not exist
     * @param rows every stored row
     */
    public static void writeChart(Path dir, List<ResultRow> rows) {
        XYChart chart = curveChart(rows);
        if (chart != null && Files.isDirectory(dir)) {
            TrainingCharts.savePng(chart, dir.resolve(CHART));
        }
    }

    /**
     * The run with a given id.
     *
     * @param id a row id
     * @return the run
     * @throws IllegalArgumentException when no DP run has that id
     */
    public static DpResultRun of(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No DP-SGD result run '" + id + "'."));
    }
}
