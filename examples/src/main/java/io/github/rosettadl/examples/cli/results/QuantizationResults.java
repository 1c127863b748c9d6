package io.github.rosettadl.examples.cli.results;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.io.StorageException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The int8 rows of {@code docs/RESULTS.md}: kept in {@code quantization.json} beside
 * {@code results.json}, and rendered as one section of the page, before its provenance.
 */
public final class QuantizationResults {

    /** The file beside {@code results.json}. */
    public static final String FILE = "quantization.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    private static final List<String> ORDER = List.of("softmax-regression/mnist", "mlp/mnist", "mlp-dropout/mnist",
            "simple-cnn/mnist", "cnn-bn/mnist", "rnn/mnist", "lstm-rows/mnist", "cnn-bn-flip/fashion-mnist",
            "cifar-cnn/cifar10", "vgg-bn/cifar10");

    private final Path file;
    private final List<QuantizationRow> rows;

    private QuantizationResults(Path file, List<QuantizationRow> rows) {
        this.file = file;
        this.rows = rows;
    }

    /**
     * Reads the stored rows, or starts empty when the file does not exist yet.
     *
     * @param file the JSON file
     * @return the rows
     * @throws IllegalArgumentException naming the file when it is not a rows file
     * @throws StorageException naming the file when it cannot be read
     */
    public static QuantizationResults open(Path file) {
        if (!Files.exists(file)) {
            return new QuantizationResults(file, new ArrayList<>());
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            List<QuantizationRow> stored = GSON.fromJson(reader, new TypeToken<List<QuantizationRow>>() { }.getType());
            return new QuantizationResults(file, stored == null ? new ArrayList<>() : new ArrayList<>(stored));
        } catch (IOException e) {
            throw StorageException.of("Cannot read the results file " + file, e, "Make it readable; its rows are kept.");
        } catch (JsonParseException | NullPointerException e) {
            throw new IllegalArgumentException("Cannot read the results file " + file + " (" + e.getMessage()
                    + "). Move it away to start a new table, or restore it from git.", e);
        }
    }

    /**
     * Adds a row, replacing one with the same id, and saves the file atomically.
     *
     * @param row the measured checkpoint
     */
    public void put(QuantizationRow row) {
        rows.removeIf(r -> r.id().equals(row.id()));
        rows.add(row);
        String json = GSON.toJson(rows) + System.lineSeparator();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw StorageException.of("Cannot create the folder of " + file, e,
                    "Make it writable; the rows stored so far are kept.");
        }
        AtomicFile.write(file, temp -> Files.writeString(temp, json));
    }

    /**
     * Every stored row.
     *
     * @return the rows
     */
    public List<QuantizationRow> rows() {
        return List.copyOf(rows);
    }

    /**
     * Puts the int8 section into a rendered page, before its "Reproduce" section (at the end when it
     * has none); a page without int8 rows is returned as it is.
     *
     * @param page the page {@link ResultsMarkdown} rendered
     * @return the page with the section
     */
    public String insertInto(String page) {
        if (rows.isEmpty()) {
            return page;
        }
        String section = section();
        int at = page.indexOf("\n## Reproduce");
        return at < 0 ? page + section : page.substring(0, at) + section + page.substring(at);
    }

    private String section() {
        List<QuantizationRow> sorted = rows.stream().sorted(Comparator.comparingInt(r -> {
            int i = ORDER.indexOf(r.id());
            return i < 0 ? Integer.MAX_VALUE : i;
        })).toList();
        StringBuilder md = new StringBuilder();
        md.append("\n## Int8 weights\n\n")
                .append("Each trained checkpoint quantized with `rosetta quantize` (int8 weights, symmetric, one scale"
                        + " per output channel; biases and batch norm kept float32) and both scored on the whole"
                        + " test set. *float32 weights* is their size in the float32 checkpoint and in memory once"
                        + " loaded: a quantized checkpoint is expanded to float32 as it loads, since DJL's arrays have"
                        + " no int8 layers to run it with ([quantization](examples/quantization.md)), so the int8"
                        + " checkpoint is smaller on disk but not faster."
                        + " *int8 in memory* is the int8 form before that expansion. The float32 checkpoint also"
                        + " holds Adam's two moments. Goal, for the three seeds named in it: the int8 file at most ")
                .append(fmt(QuantizationRow.GOAL_RATIO, 2)).append("x the float32 weights, and the test accuracy within ")
                .append(fmt(QuantizationRow.GOAL_POINTS, 1)).append(" points.\n\n")
                .append("| run | epochs | float32 test acc | int8 test acc | change (points) | float32 checkpoint"
                        + " | float32 weights | int8 checkpoint | int8 in memory | int8 file / float32 weights"
                        + " | largest change (steps) | goal met |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (QuantizationRow r : sorted) {
            Boolean met = r.goalMet();
            md.append("| ").append(r.id())
                    .append(" | ").append(r.epochs())
                    .append(" | ").append(fmt(r.float32Accuracy(), 2)).append('%')
                    .append(" | ").append(fmt(r.int8Accuracy(), 2)).append('%')
                    .append(" | ").append(String.format(Locale.ROOT, "%+.2f", r.int8Accuracy() - r.float32Accuracy()))
                    .append(" | ").append(bytes(r.float32FileBytes()))
                    .append(" | ").append(bytes(r.float32WeightBytes()))
                    .append(" | ").append(bytes(r.int8FileBytes()))
                    .append(" | ").append(bytes(r.int8WeightBytes()))
                    .append(" | ").append(fmt(r.ratio(), 3)).append('x')
                    .append(" | ").append(fmt(r.largestErrorInSteps(), 3))
                    .append(" | ").append(met == null ? "–" : met ? "yes" : "**no**")
                    .append(" |\n");
        }
        md.append("\n| run | command | commit | finished (UTC) | load at start |\n|---|---|---|---|---|\n");
        for (QuantizationRow r : sorted) {
            md.append("| ").append(r.id()).append(" | `").append(r.command()).append("` | ").append(r.commit())
                    .append(" | ").append(r.finishedAt()).append(" | ").append(fmt(r.loadAtStart(), 1)).append(" |\n");
        }
        return md.toString();
    }

    private static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%,d B", bytes);
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
