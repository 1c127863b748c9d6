package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.models.CifarCNN;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.SoftmaxRegression;
import io.github.rosettadl.core.models.TanhCNN;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.image.ImageMetadata;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Every model the command line trains, with the hyperparameters of the seed it comes from. A flag
 * overrides a default; nothing changes a seed's configuration silently.
 */
public enum ModelChoice {

    /** A linear classifier on the flattened pixels. */
    SOFTMAX_REGRESSION("softmax-regression", "linear classifier on the pixels", Data.IMAGES,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64), SoftmaxRegression.Spec::new),
    /** The Keras MLP seed: Adam with Keras's epsilon, batch 64, 10 epochs. */
    MLP("mlp", "Keras MLP: Flatten, Dense(128, relu), Dense(10, softmax)", Data.IMAGES,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON), Mlp.Spec::new),
    /** The PyTorch SimpleCNN seed: Adam 1e-3 with PyTorch's epsilon, batch 64, 10 epochs. */
    SIMPLE_CNN("simple-cnn", "PyTorch SimpleCNN: conv1, max-pool, fc1, fc2", Data.IMAGES,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64), SimpleCNN.Spec::new),
    /** The TensorFlow CIFAR-10 tutorial CNN: Keras defaults, so batch 32 and Keras's epsilon. */
    CIFAR_CNN("cifar-cnn", "TensorFlow CIFAR-10 tutorial CNN: 3 convolutions, Dense(64), Dense(10)", Data.IMAGES,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(32)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON), CifarCNN.Spec::new),
    /**
     * Tramèr and Boneh's baseline for private training, with settings for DP-SGD: SGD 0.5 with their
     * momentum 0.9, batch 512, 40 epochs (docs/examples/dp-sgd.md says which are theirs).
     */
    TANH_CNN("tanh-cnn", "Tramer & Boneh's DP-SGD CNN: 2 strided convolutions, tanh, fc1(32), fc2", Data.IMAGES,
            TrainingConfig.sgd(0.5f).withMomentum(0.9f).withEpochs(40).withBatchSize(512), TanhCNN.Spec::new),
    /** A SimpleRNN reading an image row by row. */
    RNN("rnn", "SimpleRNN(64) over image rows, Dense(10)", Data.IMAGES,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(64)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON), RnnClassifier.Spec::new),
    /** The Keras character-level language model seed. */
    CHAR_RNN("char-rnn", "Keras char model: Embedding, SimpleRNN(64), Dense(vocab, softmax)", Data.TEXT,
            TrainingConfig.adam(1e-3f).withEpochs(10).withBatchSize(32)
                    .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON), null),
    /** The TensorFlow 1 linear-regression seed on synthetic data. */
    LINEAR_REGRESSION("linear-regression", "TensorFlow 1 W*x + b with gradient descent", Data.SYNTHETIC,
            null, null);

    /** What a model trains on. */
    public enum Data {
        /** MNIST, Fashion-MNIST or CIFAR-10. */
        IMAGES,
        /** A text file, the bundled one by default. */
        TEXT,
        /** Generated points on a line. */
        SYNTHETIC
    }

    private final String cliName;
    private final String description;
    private final Data data;
    private final TrainingConfig seedConfig;
    private final BiFunction<ImageShape, Integer, ImageModelSpec> imageSpec;

    ModelChoice(String cliName, String description, Data data, TrainingConfig seedConfig,
            BiFunction<ImageShape, Integer, ImageModelSpec> imageSpec) {
        this.cliName = cliName;
        this.description = description;
        this.data = data;
        this.seedConfig = seedConfig;
        this.imageSpec = imageSpec;
    }

    /**
     * The model's name on the command line.
     *
     * @return for example {@code simple-cnn}
     */
    public String cliName() {
        return cliName;
    }

    /**
     * A one-line description for {@code list}.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * What the model trains on.
     *
     * @return the kind of data
     */
    public Data data() {
        return data;
    }

    /**
     * The seed's hyperparameters: optimiser, learning rate, epochs, batch size.
     *
     * @return the configuration, or null for linear regression, which has its own settings
     */
    public TrainingConfig seedConfig() {
        return seedConfig;
    }

    /**
     * The engine threads this model trains fastest with, measured by {@code bench/compare.sh} on a
     * 2-core AMD EPYC (docs/PERFORMANCE.md): one intra-op thread for the MLP, whose small
     * matrix products gain less from a second thread than they lose to handing work over (0.79 against
     * 0.88 ms per step), and every core for the rest (SimpleCNN 11.9 against 17.2 ms).
     *
     * @return the default thread counts when {@code --threads} is not given
     */
    public EngineThreads defaultThreads() {
        return EngineThreads.defaultsFor(cliName());
    }

    /**
     * The architecture for a data set's image shape and class count.
     *
     * @param metadata the data set's description
     * @return the model spec
     * @throws IllegalStateException for a model that does not take images
     */
    public ImageModelSpec imageSpec(ImageMetadata metadata) {
        if (imageSpec == null) {
            throw new IllegalStateException(cliName + " does not take images");
        }
        return imageSpec.apply(new ImageShape(metadata.channels(), metadata.height(), metadata.width()),
                metadata.numClasses());
    }

    /**
     * Finds a model by its command-line name.
     *
     * @param name for example {@code mlp}, case-insensitive
     * @return the model
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static ModelChoice fromName(String name) {
        String wanted = String.valueOf(name).trim().toLowerCase(Locale.ROOT);
        for (ModelChoice choice : values()) {
            if (choice.cliName.equals(wanted)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("Unknown model '" + name + "'. Valid models: " + names() + ".");
    }

    /**
     * Every model name, comma-separated.
     *
     * @return the names
     */
    public static String names() {
        return Arrays.stream(values()).map(ModelChoice::cliName).collect(Collectors.joining(", "));
    }

    /**
     * The models that train on images.
     *
     * @return the image models, in catalogue order
     */
    public static List<ModelChoice> imageModels() {
        return Arrays.stream(values()).filter(m -> m.data == Data.IMAGES).toList();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
