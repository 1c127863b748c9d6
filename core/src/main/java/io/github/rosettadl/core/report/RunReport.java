package io.github.rosettadl.core.report;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.io.StorageException;
import io.github.rosettadl.core.io.WritableFolder;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;

import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The folder a training run writes: {@code history.csv}, {@code metrics.csv}, {@code confusion.csv},
 * {@code loss.png}, {@code accuracy.png}, {@code confusion.png}, {@code summary.md} and, with
 * {@code --save-model}, {@code model.ckpt}. Every file is written to a temporary name and renamed, so
 * a reader never sees half of one.
 */
public final class RunReport {

    /** File names, in the order they are written. */
    public static final List<String> FILES = List.of("history.csv", "metrics.csv", "confusion.csv", "loss.png",
            "accuracy.png", "confusion.png", "summary.md");

    /** Every file a run may leave in its folder: the report, the checkpoint, the sample and the run's settings. */
    public static final List<String> RUN_FILES = Stream.concat(FILES.stream(),
            Stream.of("sample.txt", "model.ckpt", "run.json")).toList();

    private static final String CHOOSE_ANOTHER = "Choose a writable folder with --output-dir.";

    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path dir;
    private final boolean overwrite;

    private RunReport(Path dir, boolean overwrite) {
        this.dir = dir;
        this.overwrite = overwrite;
    }

    /**
     * The default folder for a run: {@code runs/<time>-<model>-<dataset>} under the working folder.
     *
     * @param model the model name
     * @param dataset the data set name
     * @return the folder path (not yet created)
     */
    public static Path defaultDir(String model, String dataset) {
        return timestampedDir(Path.of("runs"), model + "-" + dataset);
    }

    /**
     * A new folder for a run under {@code parent}: {@code <time>-<name>}.
     *
     * @param parent the folder that holds runs
     * @param name what runs, for example {@code simple-cnn-mnist}
     * @return the folder path (not yet created)
     */
    public static Path timestampedDir(Path parent, String name) {
        return parent.resolve(LocalDateTime.now().format(RUN_TIME) + "-" + name);
    }

    /**
     * The folder of a new run, checked before anything is loaded; nothing is created until {@link #open()}.
     * A folder that already holds files belongs to another run and is refused, unless {@code overwrite}
     * is set: then {@link #open()} removes that run's files (those in {@link #RUN_FILES}) first, so
     * none of them is left beside the new report.
     *
     * @param dir the folder; the empty path means the working folder
     * @param overwrite whether to replace another run's files there
     * @return the report, not yet opened
     * @throws StorageException naming the folder when it, or the folder
     *     it would be made in, is a file or cannot be written
     * @throws IllegalArgumentException naming the folder when it holds files and {@code overwrite} is
     *     not set
     */
    public static RunReport forNewRun(Path dir, boolean overwrite) {
        Path folder = dir.toString().isEmpty() ? Path.of(".") : dir;
        WritableFolder.require(folder, CHOOSE_ANOTHER);
        if (!overwrite) {
            List<String> present = entries(folder);
            if (!present.isEmpty()) {
                throw new IllegalArgumentException("Output directory '" + folder + "' already holds files ("
                        + String.join(", ", present.subList(0, Math.min(5, present.size())))
                        + (present.size() > 5 ? ", ..." : "") + "), and a run never replaces another's. Choose a"
                        + " new --output-dir, continue that run with --resume " + folder
                        + ", or pass --overwrite to replace its files.");
            }
        }
        return new RunReport(folder, overwrite);
    }

    /**
     * The folder of an earlier run, to continue it: the run's own files are replaced as it goes on.
     *
     * @param dir the run's folder
     * @return the report, not yet opened
     * @throws IllegalArgumentException naming the folder when it does not exist
     */
    public static RunReport forResumedRun(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Run folder '" + dir + "' does not exist. Give the folder of a run"
                    + " started with 'train --save-model', or its model.ckpt.");
        }
        return new RunReport(dir, false);
    }

    /**
     * Creates the folder and proves it writable, just before training starts, so a run that fails
     * earlier leaves nothing behind. Removes the temporary files of writes that were killed, and, for
     * a new run with {@code overwrite}, the earlier run's files.
     *
     * @return this report
     * @throws StorageException naming the folder when it cannot be created or written
     */
    public RunReport open() {
        try {
            Files.createDirectories(dir);
            WritableFolder.require(dir, CHOOSE_ANOTHER);
            for (String name : entries(dir)) {
                boolean leftover = name.endsWith(".tmp") && (name.startsWith(".write-check")
                        || RUN_FILES.stream().anyMatch(name::startsWith));
                if (leftover || overwrite && RUN_FILES.contains(name)) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw StorageException.of("Cannot write to output directory '" + dir + "'", e, CHOOSE_ANOTHER);
        }
        return this;
    }

    private static List<String> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read output directory '" + dir + "' (" + e.getMessage()
                    + "). Choose a readable folder with --output-dir.", e);
        }
    }

    /**
     * The run's folder.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    /**
     * Where {@code --save-model} writes the checkpoint.
     *
     * @return {@code model.ckpt} in the run's folder
     */
    public Path checkpointFile() {
        return dir.resolve("model.ckpt");
    }

    /**
     * One line of the summary's settings table, such as {@code optimizer: adam, learning rate 0.001}.
     *
     * @param name the setting
     * @param value its value
     */
    public record Setting(String name, String value) {}

    /**
     * Writes the report of an image classifier: the history, per-class metrics and confusion matrix as
     * CSV, the loss, accuracy and confusion charts, and {@code summary.md}.
     *
     * @param title the heading, such as {@code simple-cnn on MNIST}
     * @param history per-epoch metrics
     * @param test the final evaluation on the test set
     * @param confusion its confusion matrix and per-class metrics
     * @param settings the rows of the summary's settings table, in order
     */
    public void writeImageClassification(String title, History history, Evaluation test, ConfusionMatrix confusion,
            List<Setting> settings) {
        Table table = history.toTable();
        Missing missing = new Missing();
        missing.attempt("history.csv", file -> writeCsv(table, file));
        missing.attempt("metrics.csv", file -> writeCsv(confusion.perClassTable(), file));
        missing.attempt("confusion.csv", file -> writeCsv(confusion.toTable(), file));
        missing.attempt("loss.png", file -> TrainingCharts.savePng(TrainingCharts.lossCurves(table, title), file));
        missing.attempt("accuracy.png",
                file -> TrainingCharts.savePng(TrainingCharts.accuracyCurves(table, title), file));
        missing.attempt("confusion.png",
                file -> TrainingCharts.savePng(TrainingCharts.confusionHeatMap(confusion, title), file));
        missing.attempt("summary.md", file -> writeAtomically(file,
                summary(title, history, test, confusion, settings) + missing.note()));
        missing.throwIfAny();
    }

    /**
     * Writes the report of a character model: the history as CSV, the loss chart, {@code sample.txt}
     * and {@code summary.md}.
     *
     * @param source where the text came from, for the heading
     * @param corpusDescription one sentence on the text (its size and alphabet)
     * @param history per-epoch metrics
     * @param sample the generated sample
     * @param engine the engine's start-up line
     * @param seconds the wall time
     */
    public void writeText(String source, String corpusDescription, History history, String sample, String engine,
            double seconds) {
        Table table = history.toTable();
        Missing missing = new Missing();
        missing.attempt("history.csv", file -> writeCsv(table, file));
        missing.attempt("loss.png", file -> TrainingCharts.savePng(TrainingCharts.lossCurves(table, "char-rnn"), file));
        missing.attempt("sample.txt", file -> writeAtomically(file, sample + "\n"));
        StringBuilder md = new StringBuilder("# char-rnn on ").append(source).append("\n\n");
        md.append(corpusDescription).append(".\n\n| epoch | train loss | next-char accuracy | seconds |\n|---|---|---|---|\n");
        for (EpochMetrics m : history.epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.2f%% | %.1f |%n", m.epoch(), m.trainLoss(),
                    100 * m.trainAccuracy(), m.seconds()));
        }
        md.append(String.format(Locale.ROOT, "%nEngine: %s. Wall time %.1f s.%n%n", engine, seconds));
        md.append("Sample (temperature 0.5):\n\n```\n").append(sample).append("\n```\n\n![loss](loss.png)\n");
        writeAtomically(dir.resolve("summary.md"), md.toString());
    }

    private static String summary(String title, History history, Evaluation test, ConfusionMatrix confusion,
            List<Setting> settings) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Test accuracy: **%.2f%%** on %,d test images (macro F1 %.4f).%n%n",
                100 * test.accuracy(), test.examples(), confusion.macroF1()));
        md.append("| setting | value |\n|---|---|\n");
        for (Setting setting : settings) {
            row(md, setting.name(), setting.value());
        }
        md.append("\nThe validation columns are measured on the test set, as the seeds report it.\n\n");
        md.append("| epoch | train loss | train acc | val loss | val acc | seconds | images/s |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (EpochMetrics m : history.epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.2f%% | %.4f | %.2f%% | %.1f | %,.0f |%n",
                    m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(), m.valLoss(), 100 * m.valAccuracy(),
                    m.seconds(), m.imagesPerSecond()));
        }
        md.append("\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        for (int c = 0; c < confusion.classNames().size(); c++) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %d |%n", confusion.classNames().get(c),
                    confusion.precision(c), confusion.recall(c), confusion.f1(c), confusion.support(c)));
        }
        md.append(String.format(Locale.ROOT, "| macro average | %.4f | %.4f | %.4f | |%n%n",
                confusion.macroPrecision(), confusion.macroRecall(), confusion.macroF1()));
        md.append("![loss](loss.png)\n![accuracy](accuracy.png)\n![confusion matrix](confusion.png)\n");
        return md.toString();
    }

    /** The files of a report that could not be written, so the rest is still written and the loss is named. */
    private final class Missing {
        private final List<String> failures = new ArrayList<>();
        private UncheckedIOException first;

        void attempt(String name, Consumer<Path> write) {
            try {
                write.accept(dir.resolve(name));
            } catch (UncheckedIOException e) {
                failures.add(name + " (" + e.getCause().getMessage() + ")");
                if (first == null) {
                    first = e;
                }
            }
        }

        String note() {
            return failures.isEmpty() ? "" : "\nNot written: " + String.join(", ", failures) + ".\n";
        }

        void throwIfAny() {
            if (first != null) {
                throw new ReportIncompleteException("The report in '" + dir + "' is incomplete: could not write "
                        + String.join(", ", failures) + ". The other files were written; free space or fix the"
                        + " folder's permissions and run again.", first);
            }
        }
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private static void writeCsv(Table table, Path file) {
        AtomicFile.write(file, temp -> table.write().csv(temp.toFile()));
    }

    private static void writeAtomically(Path file, String text) {
        AtomicFile.write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }
}
