package io.github.rosettadl.examples.cli;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.compression.MagnitudePruning;
import io.github.rosettadl.core.compression.PrunedCheckpoint;
import io.github.rosettadl.core.compression.PruningMask;
import io.github.rosettadl.core.compression.PruningScope;
import io.github.rosettadl.core.compression.PruningSummary;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.EpochSource;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.OptimizerState;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingProgress;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Prunes an image classifier's checkpoint: what {@code prune CHECKPOINT --sparsity S} and the pruned
 * rows of {@code results} run. Each step of the schedule removes weights by magnitude
 * ({@link MagnitudePruning}), zeroes the optimiser's buffers for them, and fine-tunes with the mask
 * held ({@link PruningMask} as the session's parameter constraint), continuing the checkpoint's own
 * hyperparameters, history and data order; the result is written as a {@link PrunedCheckpoint}.
 */
public final class PruningRun {

    private PruningRun() {}

    /**
     * What to prune and how.
     *
     * @param checkpoint a checkpoint of an image model
     * @param sparsity the fraction of dense and convolutional weights to remove, in [0, 1)
     * @param scope one threshold over all layers, or one per layer
     * @param steps prune steps, 1 for one-shot; each removes the same fraction of what is left
     * @param fineTuneEpochs epochs of fine-tuning after each step, 0 for none
     * @param learningRate the fine-tuning rate, or null for the checkpoint's own
     * @param limit at most this many training and test images, 0 for all
     * @param data where the data set comes from
     */
    public record Request(Path checkpoint, double sparsity, PruningScope scope, int steps, int fineTuneEpochs,
            Float learningRate, int limit, DataOptions data) {

        /**
         * Checks the values, naming the flag of each.
         *
         * @throws IllegalArgumentException when one is out of range
         */
        public Request {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(data, "data");
            if (!(sparsity >= 0 && sparsity < 1)) {
                throw new IllegalArgumentException("--sparsity must be a fraction at least 0 and below 1 (0.9 removes"
                        + " 90% of the weights), got " + sparsity + ".");
            }
            PositiveChecks.require("--steps", steps);
            if (fineTuneEpochs < 0) {
                throw new IllegalArgumentException("--fine-tune-epochs must be 0 (none) or positive, got "
                        + fineTuneEpochs + ".");
            }
            if (steps > 1 && fineTuneEpochs == 0) {
                throw new IllegalArgumentException("--steps " + steps + " prunes in steps with fine-tuning between"
                        + " them, so it needs --fine-tune-epochs 1 or more; without fine-tuning use --steps 1.");
            }
            if (learningRate != null) {
                PositiveChecks.require("--lr", learningRate);
            }
            PositiveChecks.requireLimit(limit);
        }
    }

    /**
     * One step of the schedule.
     *
     * @param step the step, from 1
     * @param sparsity the sparsity after it
     * @param prunedAccuracy test accuracy right after pruning, before fine-tuning
     * @param fineTunedAccuracy test accuracy after fine-tuning, NaN without
     * @param prunedSeconds wall time from the start of the run until the pruned model was tested
     */
    public record Step(int step, double sparsity, double prunedAccuracy, double fineTunedAccuracy,
            double prunedSeconds) {
    }

    /**
     * What a run measured.
     *
     * @param description the dense checkpoint's description
     * @param denseAccuracy the input's test accuracy
     * @param steps each step's accuracies
     * @param summary how the model was pruned
     * @param denseFileBytes the input file's size
     * @param denseWeightBytes the model's weights as dense float32 (4 bytes per value)
     * @param prunedFileBytes the written checkpoint's size
     * @param seconds wall time
     */
    public record Result(CheckpointDescription description, double denseAccuracy, List<Step> steps,
            PruningSummary summary, long denseFileBytes, long denseWeightBytes, long prunedFileBytes, double seconds) {

        /**
         * Test accuracy after the last step, with its fine-tuning if any.
         *
         * @return a fraction
         */
        public double finalAccuracy() {
            Step last = steps.get(steps.size() - 1);
            return Double.isNaN(last.fineTunedAccuracy()) ? last.prunedAccuracy() : last.fineTunedAccuracy();
        }

        /**
         * Test accuracy right after the first prune step: one-shot pruning when there is one step.
         *
         * @return a fraction
         */
        public double oneShotAccuracy() {
            return steps.get(0).prunedAccuracy();
        }
    }

    /**
     * Prunes, fine-tunes and writes the pruned checkpoint.
     *
     * @param request what to prune
     * @param report the output folder, not yet opened: it is created once the data is loaded, and
     *     the pruned checkpoint goes to its {@code model.ckpt}
     * @param device where to run
     * @param progress the fine-tuning's progress display
     * @param log one line per step
     * @return what was measured
     * @throws IllegalArgumentException when the checkpoint holds no image model
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException naming the file when it is
     *     missing or damaged
     */
    public static Result run(Request request, RunReport report, Device device, TrainingProgress progress, PrintWriter log) {
        long start = System.nanoTime();
        Path input = request.checkpoint();
        CheckpointDescription d = Checkpoint.readDescription(input);
        ImageDatasetId dataset = imageDataset(input, d);
        ImageData images = ImageDatasets.load(dataset, request.data());
        ImageSplit train = images.train();
        ImageSplit test = images.test();
        if (request.limit() > 0) {
            train = train.limit(request.limit());
            test = test.limit(request.limit());
        }
        Normalization normalization = EvaluateCommand.normalization(d.data());
        TrainingConfig config = d.training();
        if (request.learningRate() != null) {
            config = config.withLearningRate(request.learningRate());
        }
        EpochSource trainBatches = train.batches(config.batchSize(), true, config.seed(), normalization)::epoch;
        EpochSource testBatches = test.batches(256, false, 0, normalization)::epoch;

        report.open();
        Path output = report.checkpointFile();
        double denseAccuracy;
        long denseWeightBytes = 0;
        try (LoadedCheckpoint dense = Checkpoint.load(input, device)) {
            denseAccuracy = Evaluator.evaluate(dense.model(), testBatches).accuracy();
            for (var p : ((SeedModel) dense.model().getBlock()).namedParameters().values()) {
                denseWeightBytes += p.getArray().size() * Float.BYTES;
            }
        }
        log.printf(Locale.ROOT, "%s on %s, epoch %d: dense test accuracy %.2f%%%n", d.model().modelName(),
                dataset.displayName(), d.epoch(), 100 * denseAccuracy);
        log.flush();

        double[] targets = MagnitudePruning.schedule(request.sparsity(), request.steps());
        List<Step> steps = new ArrayList<>();
        PruningMask mask = null;
        Path current = input;
        Path between = null;
        try {
            for (int i = 0; i < targets.length; i++) {
                boolean last = i == targets.length - 1;
                Pruned prunedStep = prunedSession(current, device, config, request, targets[i], mask);
                mask = prunedStep.mask();
                try (TrainingSession session = prunedStep.session()) {
                    double pruned = session.evaluate(testBatches).accuracy();
                    double tuned = Double.NaN;
                    double prunedSeconds = (System.nanoTime() - start) / 1e9;
                    if (request.fineTuneEpochs() > 0) {
                        session.setProgress(progress);
                        List<EpochMetrics> epochs = session.fit(trainBatches, testBatches).epochs();
                        // the last epoch's validation is the test set, scored as evaluate() scores it
                        tuned = epochs.get(epochs.size() - 1).valAccuracy();
                    }
                    steps.add(new Step(i + 1, mask.sparsity(), pruned, tuned, prunedSeconds));
                    log.printf(Locale.ROOT, "step %d/%d: sparsity %.2f%%, test accuracy %.2f%% pruned%s%n", i + 1,
                            targets.length, 100 * mask.sparsity(), 100 * pruned, Double.isNaN(tuned) ? ""
                                    : String.format(Locale.ROOT, ", %.2f%% after %d fine-tuning epoch%s", 100 * tuned,
                                            request.fineTuneEpochs(), request.fineTuneEpochs() == 1 ? "" : "s"));
                    log.flush();
                    if (last) {
                        PrunedCheckpoint.save(output, session, d.data(), PruningSummary.of(mask, request.scope(),
                                request.sparsity(), request.steps(), request.fineTuneEpochs()));
                    } else {
                        // the next step starts from this one's weights, as a checkpoint beside the output
                        between = output.resolveSibling(".prune-step.ckpt");
                        Checkpoint.save(between, session, d.data());
                        current = between;
                    }
                }
            }
        } finally {
            if (between != null) {
                delete(between);
            }
        }
        return new Result(d, denseAccuracy, steps, PrunedCheckpoint.readSummary(output), size(input),
                denseWeightBytes, size(output), (System.nanoTime() - start) / 1e9);
    }

    /**
     * A session over a checkpoint's model with the weights pruned to a target, the optimiser's
     * buffers for them zeroed, and the mask set as its constraint.
     */
    private record Pruned(TrainingSession session, PruningMask mask) {
    }

    private static Pruned prunedSession(Path checkpoint, Device device, TrainingConfig config,
            Request request, double target, PruningMask previous) {
        CheckpointDescription d = Checkpoint.readDescription(checkpoint);
        OptimizerState state;
        try (TrainingSession saved = Checkpoint.resume(checkpoint, device)) {
            state = saved.optimizerState();
        }
        LoadedCheckpoint loaded = Checkpoint.load(checkpoint, device);
        PruningMask mask;
        try {
            SeedModel block = (SeedModel) loaded.model().getBlock();
            mask = MagnitudePruning.prune(block, target, request.scope(),
                    previous != null ? previous : PruningMask.keepAll(block));
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        TrainingSession session = TrainingSession.resume(loaded.model(),
                config.withEpochs(d.epoch() + request.fineTuneEpochs()), new History(d.history()), mask.applyTo(state));
        session.setParameterConstraint(mask);
        return new Pruned(session, mask);
    }

    /** The image data set a checkpoint was trained on, or an error that says why there is none. */
    static ImageDatasetId imageDataset(Path checkpoint, CheckpointDescription description) {
        try {
            return ImageDatasetId.fromName(description.data().dataset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Checkpoint " + checkpoint + " holds a "
                    + description.model().modelName() + " trained on '" + description.data().dataset()
                    + "', not an image classifier; prune takes the checkpoints of image models.", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover intermediate checkpoint costs disk space only
        }
    }
}
