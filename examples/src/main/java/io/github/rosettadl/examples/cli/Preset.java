package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.DropoutMlp;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.RecurrentCell;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.training.LearningRateSchedule;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.Augmentation;
import io.github.rosettadl.datasets.image.ImageMetadata;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Named variants that go beyond the seeds with the classic tools: a wider or deeper network,
 * dropout, batch norm, augmentation and a cosine learning-rate schedule. Each is its own row in
 * {@code docs/RESULTS.md}, beside the seed it improves on; the seeds' own configurations never change.
 * Train one with {@code rosetta train --preset NAME}.
 */
public enum Preset {

    /** Keras's {@code mnist_mlp.py}: two dense layers of 512 with dropout 0.2. */
    MLP_DROPOUT("mlp-dropout", ModelChoice.MLP, ImageDatasetId.MNIST, 98.3,
            "Keras mnist_mlp.py: Dense(512) and Dense(512), dropout 0.2; Adam 1e-3 with cosine decay,"
                    + " batch 128, 20 epochs (Keras: RMSprop)",
            TrainingConfig.adam(1e-3f).withEpochs(20).withBatchSize(128)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON).withSchedule(LearningRateSchedule.COSINE),
            Augmentation.NONE, DropoutMlp.Spec::new),
    /** SimpleCNN grown by a second convolution, with batch norm, dropout and shifted digits. */
    CNN_BN("cnn-bn", ModelChoice.SIMPLE_CNN, ImageDatasetId.MNIST, 99.3,
            "SimpleCNN plus a second convolution: conv 32 and conv 64, each with batch norm and max-pool,"
                    + " dropout 0.25, Dense(128); images shifted by up to 2 pixels; Adam 1e-3 with cosine decay,"
                    + " 12 epochs",
            TrainingConfig.adam(1e-3f).withEpochs(12).withBatchSize(64).withSchedule(LearningRateSchedule.COSINE),
            new Augmentation(2, false),
            (shape, classes) -> new BatchNormCNN.Spec(shape, classes, List.of(32, 64), 1, 128, 0.25f,
                    WeightInit.PYTORCH)),
    /** The same network for clothes, which may also be mirrored. */
    CNN_BN_FLIP("cnn-bn-flip", ModelChoice.SIMPLE_CNN, ImageDatasetId.FASHION_MNIST, 91.0,
            "cnn-bn with mirrored images too (right for clothes, wrong for digits); 12 epochs",
            CNN_BN.config, new Augmentation(2, true), CNN_BN.spec),
    /** A VGG-style CIFAR-10 network with batch norm, crops and flips. */
    VGG_BN("vgg-bn", ModelChoice.CIFAR_CNN, ImageDatasetId.CIFAR10, 78.0,
            "VGG-style: two 3x3 convolutions per stage at 32, 64 and 128 channels, batch norm, max-pool,"
                    + " dropout 0.3, Dense(128); random crops (padding 4) and flips; Adam 1e-3 with cosine decay,"
                    + " 15 epochs",
            TrainingConfig.adam(1e-3f).withEpochs(15).withBatchSize(64).withSchedule(LearningRateSchedule.COSINE),
            new Augmentation(4, true),
            (shape, classes) -> new BatchNormCNN.Spec(shape, classes, List.of(32, 64, 128), 2, 128, 0.3f,
                    WeightInit.PYTORCH)),
    /** The row classifier with an LSTM of 128 units instead of a SimpleRNN of 64. */
    LSTM_ROWS("lstm-rows", ModelChoice.RNN, ImageDatasetId.MNIST, 98.5,
            "LSTM(128) over the image rows, Dense(10); Adam 1e-3 with cosine decay, 10 epochs",
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON).withSchedule(LearningRateSchedule.COSINE),
            Augmentation.NONE,
            (shape, classes) -> new RnnClassifier.Spec(shape, classes, RecurrentCell.LSTM, 128, WeightInit.KERAS));

    private final String cliName;
    private final ModelChoice improves;
    private final ImageDatasetId dataset;
    private final double target;
    private final String description;
    private final TrainingConfig config;
    private final Augmentation augmentation;
    private final BiFunction<ImageShape, Integer, ImageModelSpec> spec;

    Preset(String cliName, ModelChoice improves, ImageDatasetId dataset, double target, String description,
            TrainingConfig config, Augmentation augmentation, BiFunction<ImageShape, Integer, ImageModelSpec> spec) {
        this.cliName = cliName;
        this.improves = improves;
        this.dataset = dataset;
        this.target = target;
        this.description = description;
        this.config = config;
        this.augmentation = augmentation;
        this.spec = spec;
    }

    /**
     * The preset's name on the command line.
     *
     * @return for example {@code cnn-bn}
     */
    public String cliName() {
        return cliName;
    }

    /**
     * The seed model this variant improves on, whose row it sits beside.
     *
     * @return the seed model
     */
    public ModelChoice improves() {
        return improves;
    }

    /**
     * The data set the preset is tuned for and trains on by default.
     *
     * @return the data set
     */
    public ImageDatasetId dataset() {
        return dataset;
    }

    /**
     * The test accuracy this variant is meant to reach on its data set, in percent.
     *
     * @return the target
     */
    public double target() {
        return target;
    }

    /**
     * What differs from the seed, in one line.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The hyperparameters.
     *
     * @return the configuration
     */
    public TrainingConfig config() {
        return config;
    }

    /**
     * The engine threads a preset trains with when {@code --threads} is not given: all cores. The
     * one-thread rule of the seed MLP was measured for its 128 units only; the presets' layers are
     * wider (512 units, batch norm convolutions, LSTM(128)) and were not measured per preset.
     *
     * @return the default thread counts
     */
    public EngineThreads defaultThreads() {
        return EngineThreads.defaultsFor(cliName());
    }

    /**
     * The random changes to the training images.
     *
     * @return the augmentation, {@link Augmentation#NONE} for none
     */
    public Augmentation augmentation() {
        return augmentation;
    }

    /**
     * The architecture for a data set.
     *
     * @param metadata the data set's description
     * @return the model spec
     */
    public ImageModelSpec imageSpec(ImageMetadata metadata) {
        return spec.apply(new ImageShape(metadata.channels(), metadata.height(), metadata.width()),
                metadata.numClasses());
    }

    /**
     * Finds a preset by name.
     *
     * @param name for example {@code vgg-bn}, case-insensitive
     * @return the preset
     * @throws IllegalArgumentException naming the value and the valid presets
     */
    public static Preset fromName(String name) {
        String wanted = String.valueOf(name).trim().toLowerCase(Locale.ROOT);
        for (Preset preset : values()) {
            if (preset.cliName.equals(wanted)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("Unknown preset '" + name + "'. Valid presets: " + names() + ".");
    }

    /**
     * Every preset name, comma-separated.
     *
     * @return the names
     */
    public static String names() {
        return Arrays.stream(values()).map(Preset::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
