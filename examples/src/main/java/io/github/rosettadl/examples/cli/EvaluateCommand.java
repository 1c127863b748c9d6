package io.github.rosettadl.examples.cli;

import ai.djl.Model;
import ai.djl.engine.EngineException;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.interop.TorchScriptModels;
import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.ImageDatasets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code evaluate MODEL}: test accuracy and per-class metrics of a saved image model, a checkpoint
 * or a TorchScript file traced in Python; {@code --predictions} keeps each test image's predicted class.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint (or a TorchScript file, with --dataset) on the test set of the data set"
                + " it was trained on.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = {"A model.ckpt written by train --save-model or"
            + " import, or a TorchScript file traced in Python (pytorch/trace_twin.py) with --dataset."})
    Path checkpoint;

    @Option(names = "--dataset", paramLabel = "DATA",
            description = "For a TorchScript MODEL: the data set it was trained on (mnist, fashion-mnist or cifar10);"
                    + " it takes pixels / 255.")
    String dataset;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write each test image's predicted class, one per line in test-set order, to FILE"
                    + " (the file pytorch/predict_npz.py writes).")
    Path predictions;

    @Option(names = "--overwrite", description = "Replace the --predictions file if it exists (default: refuse).")
    boolean overwrite;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate at most N test images (default: all).")
    int limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        PositiveChecks.require("--batch-size", batchSize);
        PositiveChecks.requireLimit(limit);
        if (predictions != null && Files.exists(predictions) && !overwrite) {
            throw new IllegalArgumentException(predictions + " exists; pass --overwrite to replace it, or choose another"
                    + " --predictions file.");
        }
        boolean torchScript = TorchScriptInput.isTorchScript(checkpoint, this.dataset);
        CheckpointDescription description = torchScript ? null : Checkpoint.readDescription(checkpoint);
        DataDescription data;
        ImageDatasetId dataset;
        if (torchScript) {
            TorchScriptInput input = TorchScriptInput.of(this.dataset, dataFlags);
            data = input.data();
            dataset = input.dataset();
        } else {
            data = description.data();
            try {
                dataset = ImageDatasetId.fromName(data.dataset());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Checkpoint " + checkpoint + " holds a "
                        + description.model().modelName() + " trained on '" + data.dataset()
                        + "', not on an image data set; use 'generate' for char-rnn.", e);
            }
        }
        ImageSplit test = ImageDatasets.load(dataset, dataFlags.options()).test();
        if (limit > 0 && limit < test.size()) {
            test = test.limit(limit);
        }
        ImageBatches batches = test.batches(batchSize, false, 0, normalization(data));
        TorchRuntime runtime = runtimeOptions.start();
        Evaluation evaluation;
        if (torchScript) {
            try (Model model = TorchScriptModels.load(checkpoint, runtime.device())) {
                evaluation = Evaluator.evaluate(model, batches::epoch);
            } catch (EngineException e) {
                throw new IllegalArgumentException("TorchScript file " + checkpoint + " fails on " + dataset.displayName()
                        + "'s images (float32 (N, C, H, W), pixels / 255): was it traced for another data set? "
                        + e.getMessage(), e);
            }
        } else {
            try (LoadedCheckpoint loaded = Checkpoint.load(checkpoint, runtime.device())) {
                evaluation = Evaluator.evaluate(loaded.model(), batches::epoch);
            }
        }
        if (predictions != null) {
            writePredictions(evaluation.predictions());
        }
        ConfusionMatrix confusion = evaluation.confusionMatrix(data.classNames());
        PrintWriter out = spec.commandLine().getOut();
        String what = torchScript ? "TorchScript " + checkpoint.getFileName() + " on " + dataset.displayName()
                : description.model().modelName() + " on " + dataset.displayName() + ", epoch " + description.epoch();
        out.printf(Locale.ROOT, "%s: test accuracy %.2f%% on %,d images, loss %.4f, macro F1 %.4f%n",
                what, 100 * evaluation.accuracy(), evaluation.examples(), evaluation.loss(), confusion.macroF1());
        out.printf(Locale.ROOT, "%-14s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support");
        for (int c = 0; c < confusion.classNames().size(); c++) {
            out.printf(Locale.ROOT, "%-14s %9.4f %9.4f %9.4f %8d%n", confusion.classNames().get(c),
                    confusion.precision(c), confusion.recall(c), confusion.f1(c), confusion.support(c));
        }
        if (predictions != null) {
            out.printf(Locale.ROOT, "Predicted classes of the %,d test images in %s%n", evaluation.examples(),
                    predictions);
        }
        return 0;
    }

    private void writePredictions(int[] classes) {
        StringBuilder lines = new StringBuilder(classes.length * 2);
        for (int c : classes) {
            lines.append(c).append('\n');
        }
        AtomicFile.write(predictions, temp -> Files.writeString(temp, lines, StandardCharsets.US_ASCII));
    }

    /** The data set's normalisation that reproduces the one the checkpoint was trained with. */
    static Normalization normalization(DataDescription data) {
        boolean divideOnly = Arrays.equals(data.normalization().std(), ones(data.normalization().channels()))
                && Arrays.equals(data.normalization().mean(), new float[data.normalization().channels()]);
        return divideOnly ? Normalization.DIVIDE_255 : Normalization.MEAN_STD;
    }

    private static float[] ones(int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        return ones;
    }
}
