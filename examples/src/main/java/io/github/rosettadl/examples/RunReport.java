package io.github.rosettadl.examples;

import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.datasets.Augmentation;
import io.github.rosettadl.datasets.text.TextCorpus;
import io.github.rosettadl.examples.report.AtomicFile;
import io.github.rosettadl.examples.report.TrainingCharts;

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

    void write(ImageClassifierRun.Result result, TorchRuntime runtime) {
        String title = result.request().name() + " on " + result.metadata().id().displayName();
        Table history = result.history().toTable();
        ConfusionMatrix confusion = result.confusion();
        writeCsv(history, dir.resolve("history.csv"));
        writeCsv(confusion.perClassTable(), dir.resolve("metrics.csv"));
        writeCsv(confusion.toTable(), dir.resolve("confusion.csv"));
        TrainingCharts.savePng(TrainingCharts.lossCurves(history, title), dir.resolve("loss.png"));
        TrainingCharts.savePng(TrainingCharts.accuracyCurves(history, title), dir.resolve("accuracy.png"));
        TrainingCharts.savePng(TrainingCharts.confusionHeatMap(confusion, title), dir.resolve("confusion.png"));
        writeAtomically(dir.resolve("summary.md"), summary(result, runtime, title));
    }

    void writeText(CharRnnExample.Result result, TextCorpus corpus, TorchRuntime runtime, double seconds) {
        Table history = result.history().toTable();
        writeCsv(history, dir.resolve("history.csv"));
        TrainingCharts.savePng(TrainingCharts.lossCurves(history, "char-rnn"), dir.resolve("loss.png"));
        writeAtomically(dir.resolve("sample.txt"), result.sample() + "\n");
        StringBuilder md = new StringBuilder("# char-rnn on ").append(corpus.source()).append("\n\n");
        md.append(corpus).append(".\n\n| epoch | train loss | next-char accuracy | seconds |\n|---|---|---|---|\n");
        for (EpochMetrics m : result.history().epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.2f%% | %.1f |%n", m.epoch(), m.trainLoss(),
                    100 * m.trainAccuracy(), m.seconds()));
        }
        md.append(String.format(Locale.ROOT, "%nEngine: %s. Wall time %.1f s.%n%n", runtime.startupLine(), seconds));
        md.append("Sample (temperature 0.5):\n\n```\n").append(result.sample()).append("\n```\n\n![loss](loss.png)\n");
        writeAtomically(dir.resolve("summary.md"), md.toString());
    }

    private static String summary(ImageClassifierRun.Result result, TorchRuntime runtime, String title) {
        ImageClassifierRun.Request request = result.request();
        ConfusionMatrix confusion = result.confusion();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Test accuracy: **%.2f%%** on %,d test images (macro F1 %.4f).%n%n",
                100 * result.testAccuracy(), result.test().examples(), confusion.macroF1()));
        md.append("| setting | value |\n|---|---|\n");
        row(md, request.preset() != null ? "preset" : "model", request.name() + ": " + request.description());
        row(md, "data set", result.metadata().id().displayName() + ", " + result.trainImages()
                + " training images" + (request.dryRun() ? " (dry run: one batch)" : ""));
        row(md, "optimizer", request.config().optimizer() + ", learning rate " + request.config().learningRate()
                + (request.config().optimizer().toString().equals("adam")
                        ? ", epsilon " + request.config().adamEpsilon() : ""));
        row(md, "epochs, batch size, seed", request.config().epochs() + ", " + request.config().batchSize() + ", "
                + request.config().seed());
        row(md, "normalization", request.normalization().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        row(md, "learning-rate schedule", request.config().schedule().name().toLowerCase(Locale.ROOT));
        Augmentation augmentation = request.augmentation();
        row(md, "augmentation", augmentation.isNone() ? "none" : "shifts up to " + augmentation.maxShift()
                + " px" + (augmentation.horizontalFlip() ? ", horizontal flips" : ""));
        row(md, "engine", runtime.startupLine());
        row(md, "wall time", String.format(Locale.ROOT, "%.1f s", result.seconds()));
        md.append("\nThe validation columns are measured on the test set, as the seeds report it.\n\n");
        md.append("| epoch | train loss | train acc | val loss | val acc | seconds | images/s |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (EpochMetrics m : result.history().epochs()) {
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
