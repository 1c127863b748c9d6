package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.compression.QuantizationSummary;
import io.github.rosettadl.core.compression.QuantizedCheckpoint;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;
import io.github.rosettadl.examples.cli.results.QuantizationRow;
import io.github.rosettadl.examples.cli.results.RunEnvironment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code results --quantize CHECKPOINT}: quantizes a trained checkpoint into a new folder under the
 * runs folder and scores it and its float32 original on the whole test set, for one row of the
 * int8 table.
 */
final class QuantizationMeasurement {

    private QuantizationMeasurement() {
    }

    static QuantizationRow measure(Path checkpoint, Path runsDir, DataOptions data, TorchRuntime runtime,
            RunEnvironment environment) {
        CheckpointDescription description = Checkpoint.readDescription(checkpoint);
        DataDescription trainedOn = description.data();
        ImageDatasetId dataset;
        try {
            dataset = ImageDatasetId.fromName(trainedOn.dataset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--quantize " + checkpoint + " holds a "
                    + description.model().modelName() + " trained on '" + trainedOn.dataset() + "', not on an image"
                    + " data set; the int8 table scores image models on their test sets.", e);
        }
        RunSettings settings = runSettings(checkpoint);
        boolean preset = settings != null && settings.preset() != null;
        String name = preset ? settings.preset() : settings != null ? settings.model() : description.model().modelName();
        String id = name + "/" + dataset.cliName();
        double load = RunEnvironment.loadAverage();
        Path dir = RunReport.timestampedDir(runsDir, name + "-" + dataset.cliName() + "-int8");
        Path target = dir.resolve(QuantizeCommand.FILE);
        QuantizationSummary summary;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir + ": " + e.getMessage(), e);
        }
        summary = QuantizedCheckpoint.quantize(checkpoint, target);
        ImageSplit test = ImageDatasets.load(dataset, data).test();
        ImageBatches batches = test.batches(1000, false, 0, EvaluateCommand.normalization(trainedOn));
        double float32;
        double int8;
        try (LoadedCheckpoint f = Checkpoint.load(checkpoint, runtime.device());
                LoadedCheckpoint q = Checkpoint.load(target, runtime.device())) {
            float32 = 100 * Evaluator.evaluate(f.model(), batches::epoch).accuracy();
            int8 = 100 * Evaluator.evaluate(q.model(), batches::epoch).accuracy();
        }
        // a preset may be trained for fewer epochs than its own count, and a run may stop early: both show
        int planned = description.training().epochs();
        String train = "./rosetta train " + (preset ? "--preset " : "") + name + " --dataset " + dataset.cliName()
                + (preset ? " --epochs " + planned : "") + " --save-model --output-dir runs/" + name
                + (description.epoch() < planned ? " (stopped after epoch " + description.epoch() + ")" : "");
        String command = train + ", then ./rosetta results --quantize runs/" + name + "/model.ckpt";
        return new QuantizationRow(id, description.epoch(), test.size(), float32, int8, summary.sourceFileBytes(),
                summary.float32WeightBytes(), summary.quantizedFileBytes(), summary.int8WeightBytes(),
                summary.largestErrorInSteps(), command, environment.commit(), RunEnvironment.now(), load);
    }

    /** What the run.json beside the checkpoint says, or null for a checkpoint without one. */
    private static RunSettings runSettings(Path checkpoint) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        return dir != null && Files.exists(dir.resolve(RunSettings.FILE)) ? RunSettings.read(dir) : null;
    }
}
