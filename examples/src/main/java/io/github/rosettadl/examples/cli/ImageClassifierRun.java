package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingProgress;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.Augmentation;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains one image classifier on one data set and writes its report: what {@code train MODEL
 * --dataset DATA} and each image example run. The test set is the validation set, because every seed
 * reports its accuracy on the test set.
 */
public final class ImageClassifierRun {

    private ImageClassifierRun() {}

    /**
     * What to train, on what, and where the results go.
     *
     * @param model the architecture
     * @param dataset the data set
     * @param config the hyperparameters (the model's seed configuration unless a flag changed it)
     * @param limit at most this many train and this many test images; 0 for all
     * @param dryRun one batch of training and one of testing, one epoch, to check the set-up
     * @param normalization how pixels become floats
     * @param data where the data comes from
     * @param saveModel whether to write a checkpoint after every epoch
     * @param preset the named variant that sets the architecture and augmentation, or null for the
     *     seed architecture of {@code model} (then {@code model} is the seed it improves on)
     * @param steps gradient accumulation and precision; null for one float32 update per batch
     */
    public record Request(ModelChoice model, ImageDatasetId dataset, TrainingConfig config, int limit,
            boolean dryRun, Normalization normalization, DataOptions data, boolean saveModel, Preset preset,
            StepOptions steps) {

        /**
         * Checks the request.
         *
         * @throws IllegalArgumentException when the model does not take images or the limit is negative
         */
        public Request {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(normalization, "normalization");
            Objects.requireNonNull(data, "data");
            if (model.data() != ModelChoice.Data.IMAGES) {
                throw new IllegalArgumentException("Model '" + model + "' does not train on images, so it cannot"
                        + " use --dataset " + dataset.cliName() + ". Image models: " + ModelChoice.imageModels() + ".");
            }
            PositiveChecks.requireLimit(limit);
            if (preset != null && preset.improves() != model) {
                throw new IllegalArgumentException("Preset " + preset + " improves on " + preset.improves()
                        + ", not " + model + ".");
            }
            steps = steps == null ? StepOptions.DEFAULT : steps;
        }

        /**
         * A request with one float32 update per batch.
         *
         * @param model the architecture
         * @param dataset the data set
         * @param config the hyperparameters
         * @param limit the image limit, 0 for all
         * @param dryRun one batch, one epoch
         * @param normalization how pixels become floats
         * @param data where the data comes from
         * @param saveModel whether to write checkpoints
         * @param preset the named variant, or null
         */
        public Request(ModelChoice model, ImageDatasetId dataset, TrainingConfig config, int limit, boolean dryRun,
                Normalization normalization, DataOptions data, boolean saveModel, Preset preset) {
            this(model, dataset, config, limit, dryRun, normalization, data, saveModel, preset, StepOptions.DEFAULT);
        }

        /**
         * The same request with other hyperparameters.
         *
         * @param newConfig the hyperparameters
         * @return the request
         */
        public Request withConfig(TrainingConfig newConfig) {
            return new Request(model, dataset, newConfig, limit, dryRun, normalization, data, saveModel, preset,
                    steps);
        }

        /**
         * What trains: the preset's name, or the seed model's.
         *
         * @return for example {@code cnn-bn} or {@code simple-cnn}
         */
        public String name() {
            return preset != null ? preset.cliName() : model.cliName();
        }

        /**
         * What trains, in one line.
         *
         * @return the preset's or the model's description
         */
        public String description() {
            return preset != null ? preset.description() : model.description();
        }

        /**
         * The random changes to training images.
         *
         * @return the preset's augmentation, or none for a seed
         */
        public Augmentation augmentation() {
            return preset != null ? preset.augmentation() : Augmentation.NONE;
        }

        /**
         * The architecture for a data set.
         *
         * @param metadata the data set's description
         * @return the preset's or the seed model's spec
         */
        public ImageModelSpec spec(ImageMetadata metadata) {
            return preset != null ? preset.imageSpec(metadata) : model.imageSpec(metadata);
        }
    }

    /**
     * What a run produced.
     *
     * @param request what was asked for
     * @param metadata the data set's description
     * @param trainImages the images trained on per epoch
     * @param history per-epoch metrics
     * @param test the final evaluation on the test images
     * @param confusion the test confusion matrix and per-class metrics
     * @param report the files written
     * @param seconds the wall time of training and testing
     * @param resumedAfter the epochs a resumed run found in its checkpoint, 0 for a run from the start
     */
    public record Result(Request request, ImageMetadata metadata, int trainImages, History history, Evaluation test,
            ConfusionMatrix confusion, RunReport report, double seconds, int resumedAfter) {

        /**
         * The final test accuracy.
         *
         * @return a fraction between 0 and 1
         */
        public double testAccuracy() {
            return test.accuracy();
        }
    }

    /**
     * Loads the data, trains, tests and writes the report. The report's folder is created only once
     * the data is loaded, so a run that cannot start leaves nothing behind. With {@code saveModel} a
     * checkpoint is written after every epoch, and {@code run.json} records the request, so
     * {@code train --resume} can continue a run that was stopped at any moment.
     *
     * @param request what to run
     * @param report the run's folder, not yet opened
     * @param runtime the started engine
     * @param progress where the progress bar and the epoch lines go
     * @param resume whether to continue the run in the folder from its checkpoint (from the start if
     *     it was stopped before its first checkpoint)
     * @return the result, with the report's files
     */
    public static Result run(Request request, RunReport report, TorchRuntime runtime, TrainingProgress progress,
            boolean resume) {
        Prepared prepared = Prepared.of(request);
        ImageMetadata metadata = prepared.metadata();
        TrainingConfig config = prepared.config();
        ImageSplit train = prepared.train();
        ImageSplit test = prepared.test();
        Augmentation augmentation = request.augmentation();
        ImageBatches trainBatches = augmentation.isNone()
                ? train.batches(config.batchSize(), true, config.seed(), request.normalization())
                : train.augmentedBatches(config.batchSize(), config.seed(), request.normalization(), augmentation);
        ImageBatches testBatches = test.batches(config.batchSize(), false, config.seed(), request.normalization());
        ImageModelSpec spec = request.spec(metadata);
        DataDescription description = prepared.description(request);

        report.open();
        if (!resume) {
            RunSettings.of(request).write(report.dir());
        }
        Path checkpoint = report.checkpointFile();
        long start = System.nanoTime();
        try (TrainingSession session = resume && Files.exists(checkpoint)
                ? resumed(checkpoint, spec, config, runtime)
                : TrainingSession.start(spec, config, runtime.device())) {
            int resumedAfter = session.completedEpochs();
            request.steps().applyTo(session, runtime.devices());
            session.setProgress(progress);
            History history = session.fit(trainBatches::epoch, testBatches::epoch, epoch -> {
                if (request.saveModel()) {
                    Checkpoint.save(checkpoint, session, description);
                }
            });
            Evaluation evaluation = session.evaluate(testBatches::epoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            ConfusionMatrix confusion = evaluation.confusionMatrix(metadata.classNames());
            Result result = new Result(request, metadata, train.size(), history, evaluation, confusion, report, seconds,
                    resumedAfter);
            report.writeImageClassification(request.name() + " on " + metadata.id().displayName(), history,
                    evaluation, confusion, settings(result, runtime));
            return result;
        }
    }

    private static TrainingSession resumed(Path checkpoint, ImageModelSpec spec, TrainingConfig config,
            TorchRuntime runtime) {
        TrainingSession session = Checkpoint.resume(checkpoint, runtime.device(), config.epochs());
        if (!session.spec().equals(spec)) {
            session.close();
            throw new IllegalArgumentException(checkpoint + " holds " + session.spec() + ", but its run.json asks"
                    + " for " + spec + "; the folder mixes two runs. Start the run again with 'train'.");
        }
        return session;
    }

    private static List<RunReport.Setting> settings(Result result, TorchRuntime runtime) {
        Request request = result.request();
        TrainingConfig config = request.config();
        Augmentation augmentation = request.augmentation();
        return List.of(
                new RunReport.Setting(request.preset() != null ? "preset" : "model",
                        request.name() + ": " + request.description()),
                new RunReport.Setting("data set", result.metadata().id().displayName() + ", " + result.trainImages()
                        + " training images" + (request.dryRun() ? " (dry run: one batch)" : "")),
                new RunReport.Setting("optimizer", config.optimizer() + ", learning rate " + config.learningRate()
                        + (config.optimizer().toString().equals("adam") ? ", epsilon " + config.adamEpsilon() : "")
                        + (config.momentum() > 0 ? ", momentum " + config.momentum() : "")),
                new RunReport.Setting("epochs, batch size, seed",
                        config.epochs() + ", " + config.batchSize() + ", " + config.seed()),
                new RunReport.Setting("normalization",
                        request.normalization().name().toLowerCase(Locale.ROOT).replace('_', '-')),
                new RunReport.Setting("learning-rate schedule", config.schedule().name().toLowerCase(Locale.ROOT)),
                new RunReport.Setting("augmentation", augmentation.isNone() ? "none" : "shifts up to "
                        + augmentation.maxShift() + " px" + (augmentation.horizontalFlip() ? ", horizontal flips" : "")),
                new RunReport.Setting("steps", request.steps().describe(runtime.devices())),
                new RunReport.Setting("engine", runtime.startupLine()),
                new RunReport.Setting("wall time", String.format(Locale.ROOT, "%.1f s", result.seconds())));
    }

    /**
     * A request's data as a run trains on it: the splits cut to {@code --limit}, or to one batch and
     * one epoch for {@code --dry-run}, with the configuration that goes with them.
     *
     * @param metadata the data set's description
     * @param train the training images
     * @param test the test images
     * @param config the request's configuration, one epoch for a dry run
     */
    record Prepared(ImageMetadata metadata, ImageSplit train, ImageSplit test, TrainingConfig config) {

        static Prepared of(Request request) {
            ImageData data = ImageDatasets.load(request.dataset(), request.data());
            TrainingConfig config = request.config();
            ImageSplit train = data.train();
            ImageSplit test = data.test();
            if (request.dryRun()) {
                train = train.limit(config.batchSize());
                test = test.limit(config.batchSize());
                config = config.withEpochs(1);
            } else if (request.limit() > 0) {
                train = train.limit(request.limit());
                test = test.limit(request.limit());
            }
            return new Prepared(data.metadata(), train, test, config);
        }

        /** What a checkpoint of the run records about its data: the data set, its classes, the normalisation. */
        DataDescription description(Request request) {
            return new DataDescription(request.dataset().cliName(), metadata.classNames(),
                    request.normalization() == Normalization.MEAN_STD
                            ? new io.github.rosettadl.core.checkpoint.Normalization(metadata.mean(), metadata.std())
                            : io.github.rosettadl.core.checkpoint.Normalization.divideBy255(metadata.channels()));
        }
    }
}
