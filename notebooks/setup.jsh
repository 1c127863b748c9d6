// Shared set-up for every notebook, loaded after the project's jars with:
//   %jar lib
//   %load setup.jsh
// Plain JShell (no kernel magics), so any Java kernel that can load a script can use it.

// DJL's natives come from a jar on the class path: nothing to download, and no usage ping (which
// stalls without a network). Set here as well as in the kernel spec, for kernels installed otherwise.
System.setProperty("ai.djl.offline", "true");
System.setProperty("OPT_OUT_TRACKING", "true");

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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

import tech.tablesaw.api.Table;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.image.ImageSplit;

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

/** Shows an image below the cell (display alone would also print the id it returns). */
void show(BufferedImage image) {
    display(image);
}

/** Prints a Tablesaw table with its floating-point columns to {@code decimals} places, not 17 digits. */
void printTable(Table table, int decimals) {
    java.text.NumberFormat format = java.text.NumberFormat.getNumberInstance(Locale.ROOT);
    format.setMinimumFractionDigits(decimals);
    format.setMaximumFractionDigits(decimals);
    format.setGroupingUsed(false);
    for (var column : table.columns()) {
        if (column instanceof tech.tablesaw.api.DoubleColumn doubles) {
            doubles.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(format));
        }
    }
    System.out.println(table.print());
}

/**
 * Where the notebooks find their data sets: ROSETTA_DATA_DIR (run-notebooks.sh points it at the
 * repository's ../shared/data when that exists), the system folders, the cache, and only then a
 * download into the cache. The kernel spec sets DJL_OFFLINE=true to keep DJL itself off the network;
 * the data loaders honour that switch too, so it is lifted here: a reader without a local copy gets
 * the download, and with no network an error that says where to put the files.
 */
DataOptions dataOptions() {
    return DataOptions.defaults().withOffline(false);
}

/**
 * Starts libtorch with THREADS intra-op threads (default: every core). On a machine that other work
 * keeps busy, threads of one operator wait on each other: one thread was 10 to 20 times faster there
 * (notebooks/README.md), so the headless runner uses THREADS=1.
 */
TorchRuntime startEngine() {
    int threads = limit("THREADS", EngineThreads.defaults().intraOp());
    return TorchRuntime.start(DeviceSpec.parse("auto"), EngineThreads.of(threads));
}

/**
 * Keras's model.summary(), in short: every parameter's name, shape and size, then the total, which
 * it returns.
 */
long summary(TrainingSession session) {
    long total = 0;
    for (Map.Entry<String, Parameter> p : ((SeedModel) session.model().getBlock()).namedParameters().entrySet()) {
        Shape shape = p.getValue().getArray().getShape();
        System.out.printf(Locale.ROOT, "%-26s %-16s %,10d%n", p.getKey(), shape, shape.size());
        total += shape.size();
    }
    System.out.printf(Locale.ROOT, "%-26s %-16s %,10d%n", "Total params", "", total);
    return total;
}

/** One image of a split, each pixel drawn as a scale x scale square: grey for one channel, RGB for three. */
BufferedImage picture(ImageSplit split, int index, int scale) {
    int channels = split.metadata().channels();
    int height = split.metadata().height();
    int width = split.metadata().width();
    int plane = height * width;
    byte[] bytes = split.image(index); // C*H*W, one plane per channel
    BufferedImage image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height * scale; y++) {
        for (int x = 0; x < width * scale; x++) {
            int p = (y / scale) * width + x / scale;
            int r = bytes[p] & 0xFF;
            int g = channels == 3 ? bytes[plane + p] & 0xFF : r;
            int b = channels == 3 ? bytes[2 * plane + p] & 0xFF : r;
            image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
    }
    return image;
}

/**
 * Pictures in rows of {@code columns}, each above its caption (lines split at "\n"); a caption
 * whose {@code marked} entry is true is drawn in red.
 */
BufferedImage grid(List<BufferedImage> pictures, List<String> captions, List<Boolean> marked, int columns) {
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
    int cellWidth = 0;
    int cellHeight = 0;
    int lines = 1;
    for (int i = 0; i < pictures.size(); i++) {
        cellWidth = Math.max(cellWidth, pictures.get(i).getWidth());
        cellHeight = Math.max(cellHeight, pictures.get(i).getHeight());
        for (String line : captions.get(i).split("\n")) {
            cellWidth = Math.max(cellWidth, metrics.stringWidth(line));
        }
        lines = Math.max(lines, captions.get(i).split("\n").length);
    }
    int gap = 8;
    int captionHeight = lines * metrics.getHeight();
    int rows = (pictures.size() + columns - 1) / columns;
    BufferedImage sheet = new BufferedImage(columns * (cellWidth + gap) + gap,
            rows * (cellHeight + captionHeight + gap) + gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    g.setFont(font);
    for (int i = 0; i < pictures.size(); i++) {
        int left = gap + (i % columns) * (cellWidth + gap);
        int top = gap + (i / columns) * (cellHeight + captionHeight + gap);
        BufferedImage picture = pictures.get(i);
        g.drawImage(picture, left + (cellWidth - picture.getWidth()) / 2, top, null);
        g.setColor(marked.get(i) ? new Color(0xC0, 0x10, 0x10) : Color.BLACK);
        String[] captionLines = captions.get(i).split("\n");
        for (int k = 0; k < captionLines.length; k++) {
            int x = left + (cellWidth - metrics.stringWidth(captionLines[k])) / 2;
            g.drawString(captionLines[k], x, top + cellHeight + metrics.getAscent() + k * metrics.getHeight());
        }
    }
    g.dispose();
    return sheet;
}

/** The images of a split at {@code indices}, each with its class name. */
BufferedImage labelledImages(ImageSplit split, int[] indices, int scale, int columns) {
    List<BufferedImage> pictures = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    List<Boolean> marked = new ArrayList<>();
    for (int i : indices) {
        pictures.add(picture(split, i, scale));
        captions.add(split.metadata().classNames().get(split.label(i)));
        marked.add(false);
    }
    return grid(pictures, captions, marked, columns);
}

/**
 * The images of a split at {@code indices}, each with its true class and the predicted one; wrong
 * predictions in red. {@code predictions[i]} is the prediction for image i of the split.
 */
BufferedImage predictionImages(ImageSplit split, int[] indices, int[] predictions, int scale, int columns) {
    List<String> names = split.metadata().classNames();
    List<BufferedImage> pictures = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    List<Boolean> marked = new ArrayList<>();
    for (int i : indices) {
        pictures.add(picture(split, i, scale));
        captions.add("true: " + names.get(split.label(i)) + "\npredicted: " + names.get(predictions[i]));
        marked.add(predictions[i] != split.label(i));
    }
    return grid(pictures, captions, marked, columns);
}

/** The first {@code n} indices whose prediction differs from the label (fewer when there are fewer). */
int[] firstWrong(int[] labels, int[] predictions, int n) {
    return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != predictions[i])
            .limit(n).toArray();
}
