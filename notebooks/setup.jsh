// Shared set-up for every notebook, loaded after the project's jars with:
//   %jar lib
//   %load setup.jsh
// Plain JShell (no kernel magics), so any Java kernel that can load a script can use it.

// DJL's natives come from a jar on the class path: nothing to download, and no usage ping (which
// stalls without a network). Set here as well as in the kernel spec, for kernels installed otherwise.
System.setProperty("ai.djl.offline", "true");
System.setProperty("OPT_OUT_TRACKING", "true");

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

/**
 * How big a run is: the environment variable {@code name} (for example MAX_EPOCH=1 from the headless
 * runner in CI), else the Java system property of that name, else {@code fullRun}, the value for a
 * reader's full run.
 */
int limit(String name, int fullRun) {
    String text = System.getenv(name);
    String source = "environment variable";
    if (text == null || text.isBlank()) {
        text = System.getProperty(name);
        source = "system property";
    }
    if (text == null || text.isBlank()) {
        return fullRun;
    }
    try {
        int value = Integer.parseInt(text.trim());
        if (value >= 1) {
            return value;
        }
    } catch (NumberFormatException e) {
        // reported below, with the name of the setting
    }
    throw new IllegalArgumentException(source + " " + name + "='" + text
            + "' is not a positive whole number; unset it for the full run (" + fullRun + ").");
}

/** Fails the cell, and so the headless run, when a claim the notebook makes does not hold. */
void check(boolean claim, String whatShouldHold) {
    if (!claim) {
        throw new IllegalStateException("Check failed: " + whatShouldHold);
    }
    System.out.println("Checked: " + whatShouldHold);
}

/**
 * Labels the x axis only at multiples of {@code every}: XChart crowds the labels of many equally
 * spaced x values, such as one point per training step (knowm/XChart#731).
 */
void labelXEvery(XYChart chart, double every) {
    chart.getStyler().setxAxisTickLabelsFormattingFunction(
            x -> Math.abs(x % every) < 1e-9 ? String.format(Locale.ROOT, "%.0f", x) : "");
}

/** Renders an XChart chart to an image and shows it below the cell. */
void show(Chart<?, ?> chart) {
    BufferedImage image = BitmapEncoder.getBufferedImage(chart);
    display(image);
}
