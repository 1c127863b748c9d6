package io.github.rosettadl.core.report;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;

import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

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

    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path dir;

    private RunReport(Path dir) {
        this.dir = dir;
    }

    /**
     * The default folder for a run: {@code runs/<time>-<model>-<dataset>} under the working folder.
     *
     * @param model the model name
     * @param dataset the data set name
     * @return the folder path (not yet created)
     */
    public static Path defaultDir(String model, String dataset) {
        return Path.of("runs", LocalDateTime.now().format(RUN_TIME) + "-" + model + "-" + dataset);
    }

    /**
     * Creates the folder and proves it writable before any training starts.
     *
     * @param dir the folder
     * @return the report
     * @throws IllegalArgumentException naming the folder when it cannot be created or written
     */
    public static RunReport create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (FileSystemException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.getReason();
            throw new IllegalArgumentException("Cannot write to output directory '" + dir + "' ("
                    + (reason == null ? e.getClass().getSimpleName() : reason)
                    + "). Choose a writable folder with --output-dir.", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot write to output directory '" + dir + "' (" + e.getMessage()
                    + "). Choose a writable folder with --output-dir.", e);
        }
        return new RunReport(dir);
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
        writeCsv(table, dir.resolve("history.csv"));
        writeCsv(confusion.perClassTable(), dir.resolve("metrics.csv"));
        writeCsv(confusion.toTable(), dir.resolve("confusion.csv"));
        TrainingCharts.savePng(TrainingCharts.lossCurves(table, title), dir.resolve("loss.png"));
        TrainingCharts.savePng(TrainingCharts.accuracyCurves(table, title), dir.resolve("accuracy.png"));
        TrainingCharts.savePng(TrainingCharts.confusionHeatMap(confusion, title), dir.resolve("confusion.png"));
        writeAtomically(dir.resolve("summary.md"), summary(title, history, test, confusion, settings));
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
        writeCsv(table, dir.resolve("history.csv"));
        TrainingCharts.savePng(TrainingCharts.lossCurves(table, "char-rnn"), dir.resolve("loss.png"));
        writeAtomically(dir.resolve("sample.txt"), sample + "\n");
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
