package io.github.rosettadl.examples.cli.conformance;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.models.DropoutMlp;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.RecurrentCell;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.text.TextCorpus;
import io.github.rosettadl.examples.CharRnnExample;
import io.github.rosettadl.examples.LinearRegressionExample;
import io.github.rosettadl.examples.cli.ModelChoice;
import io.github.rosettadl.examples.cli.Preset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One model checked against its PyTorch twin: the architecture, the seed's Adam settings, and the
 * batch size of the check.
 *
 * @param id the case's name, for example {@code simple-cnn/seed} or {@code vgg-bn/small}
 * @param spec the architecture, or null for the linear regression
 * @param adam the Adam settings of the model's seed or preset (learning rate, epsilon)
 * @param batchSize examples in the batch
 * @param linear the linear regression's settings, or null for a classifier
 * @param note what differs from the trained model, or an empty string
 */
public record ConformanceCase(String id, ModelSpec spec, TrainingConfig adam, int batchSize,
        LinearRegressionExample.Settings linear, String note) {

    /** SGD's rate and momentum in every case: the seeds train with Adam, so SGD gets a classic setting. */
    public static final float SGD_RATE = 0.05f;
    /** SGD's momentum; visible from the second step on, which is why each optimiser takes two. */
    public static final float SGD_MOMENTUM = 0.9f;

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final ImageShape CIFAR = new ImageShape(3, 32, 32);
    private static final int SMALL_CLASSES = 4;
    private static final int SMALL_BATCH = 5;
    /**
     * The batch at the seed shape. A max-pooling window whose two largest inputs nearly tie makes the
     * gradient jump when float32 rounding swaps them; with 64 MNIST-shaped images the batch-norm CNN
     * has some 20 such windows within 1e-5 of a tie, and Java's and PyTorch's float32 rounding then
     * send a few gradients through different inputs (0.3-1.3% of a convolution's weight gradient,
     * while every other quantity agrees to 1e-6). 16 images keep the check a test of the arithmetic.
     */
    private static final int SEED_BATCH = 16;
    private static final String NO_DROPOUT = "dropout rate 0: the masks are random on both sides";

    /**
     * Every case: each image model and each preset at its seed shape and at a small shape, the row
     * classifier with each cell and each initialisation, char-rnn at the seed's size and small, and
     * both linear-regression settings.
     *
     * @return the cases, in a fixed order
     */
    public static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        for (ModelChoice model : ModelChoice.imageModels()) {
            boolean colour = model == ModelChoice.CIFAR_CNN;
            ImageShape seed = colour ? CIFAR : MNIST;
            ImageShape small = colour ? new ImageShape(3, 18, 18)
                    : model == ModelChoice.TANH_CNN ? new ImageShape(1, 16, 16) : new ImageShape(1, 8, 8);
            // a seed that trains with SGD (tanh-cnn) is checked with PyTorch's default Adam beside the SGD steps
            TrainingConfig config = model.seedConfig().optimizer() == OptimizerKind.ADAM ? model.seedConfig()
                    : TrainingConfig.adam(1e-3f).withSeed(model.seedConfig().seed());
            cases.add(image(model.cliName() + "/seed", model.imageSpec(metadata(seed, 10)), config, SEED_BATCH));
            cases.add(image(model.cliName() + "/small", model.imageSpec(metadata(small, SMALL_CLASSES)), config,
                    SMALL_BATCH));
        }
        for (Preset preset : Preset.values()) {
            boolean colour = preset.dataset() == ImageDatasetId.CIFAR10;
            ImageShape seed = colour ? CIFAR : MNIST;
            ImageShape small = colour ? new ImageShape(3, 8, 8) : new ImageShape(1, 8, 8);
            TrainingConfig config = preset.config();
            cases.add(image(preset.cliName() + "/seed", preset.imageSpec(metadata(seed, 10)), config, SEED_BATCH));
            cases.add(image(preset.cliName() + "/small", preset.imageSpec(metadata(small, SMALL_CLASSES)), config,
                    SMALL_BATCH));
        }
        TrainingConfig keras = ModelChoice.RNN.seedConfig();
        for (RecurrentCell cell : RecurrentCell.values()) {
            for (WeightInit init : WeightInit.values()) {
                String id = "rnn-" + cell.kerasName().replace('_', '-') + "-" + init.name().toLowerCase(Locale.ROOT);
                cases.add(image(id + "/small", new RnnClassifier.Spec(new ImageShape(1, 6, 5), SMALL_CLASSES, cell, 8,
                        init), keras, SMALL_BATCH));
            }
        }
        TrainingConfig charConfig = ModelChoice.CHAR_RNN.seedConfig();
        int vocabulary = TextCorpus.bundled().vocabularySize();
        cases.add(new ConformanceCase("char-rnn/seed", new CharRnn.Spec(vocabulary, CharRnnExample.SEQ_LENGTH),
                charConfig, SEED_BATCH, null, ""));
        for (WeightInit init : WeightInit.values()) {
            cases.add(new ConformanceCase("char-rnn-" + init.name().toLowerCase(Locale.ROOT) + "/small",
                    new CharRnn.Spec(7, 5, 4, 8, init), charConfig, SMALL_BATCH, null, ""));
        }
        for (LinearRegressionExample.Settings settings : List.of(LinearRegressionExample.Settings.SEED,
                LinearRegressionExample.Settings.CONVERGING)) {
            cases.add(new ConformanceCase("linear-regression/" + settings.name(), null, null, settings.batchSize(),
                    settings, ""));
        }
        return cases;
    }

    /** A classifier case; a model with dropout is checked with rate 0, since no twin can draw Java's masks. */
    private static ConformanceCase image(String id, ImageModelSpec spec, TrainingConfig config, int batchSize) {
        if (spec instanceof DropoutMlp.Spec s && s.dropoutRate() > 0) {
            return new ConformanceCase(id, new DropoutMlp.Spec(s.input(), s.classes(), s.hidden(), 0f, s.init()), config,
                    batchSize, null, NO_DROPOUT);
        }
        if (spec instanceof BatchNormCNN.Spec s && s.dropoutRate() > 0) {
            return new ConformanceCase(id, new BatchNormCNN.Spec(s.input(), s.classes(), s.widths(), s.convsPerStage(),
                    s.hidden(), 0f, s.init()), config, batchSize, null, NO_DROPOUT);
        }
        return new ConformanceCase(id, spec, config, batchSize, null, "");
    }

    /** Metadata of a generated data set of a given shape: only the shape and class count matter to a spec. */
    private static ImageMetadata metadata(ImageShape shape, int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class " + i);
        }
        float[] half = new float[shape.channels()];
        Arrays.fill(half, 0.5f);
        return new ImageMetadata(shape.channels() == 3 ? ImageDatasetId.CIFAR10 : ImageDatasetId.MNIST, names,
                shape.channels(), shape.height(), shape.width(), half, half);
    }

    /**
     * The SGD settings of the check.
     *
     * @return SGD at {@link #SGD_RATE} with momentum {@link #SGD_MOMENTUM}, the case's seed
     */
    public TrainingConfig sgd() {
        return TrainingConfig.sgd(SGD_RATE).withMomentum(SGD_MOMENTUM).withSeed(adam.seed());
    }
}
