package io.github.rosettadl.examples;

import io.github.rosettadl.core.models.CifarCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.ImageDatasets;
import io.github.rosettadl.examples.cli.RosettaCli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The TensorFlow CIFAR-10 tutorial seed, statement by statement.
 *
 * <pre>{@code
 * (train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
 * train_images, test_images = train_images / 255.0, test_images / 255.0
 * model = models.Sequential()
 * model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
 * model.add(layers.MaxPooling2D((2, 2)))
 * model.add(layers.Conv2D(64, (3, 3), activation='relu'))
 * model.add(layers.MaxPooling2D((2, 2)))
 * model.add(layers.Conv2D(64, (3, 3), activation='relu'))
 * model.add(layers.Flatten())
 * model.add(layers.Dense(64, activation='relu'))
 * model.add(layers.Dense(10))
 * model.compile(optimizer='adam',
 *               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
 *               metrics=['accuracy'])
 * history = model.fit(train_images, train_labels, epochs=10,
 *                     validation_data=(test_images, test_labels))
 * test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
 * }</pre>
 *
 * <p>Deliberate differences: images are NCHW (channels first) as PyTorch wants, not Keras's NHWC,
 * which changes only the order of the flattened features (see {@link CifarCNN}). Keras's defaults are
 * kept: batch 32, Glorot-uniform weights with zero biases, Adam epsilon 1e-7.
 */
public final class CifarCnn {

    private CifarCnn() {}

    /**
     * Runs the seed; flags as for {@code train cifar-cnn --dataset cifar10}.
     *
     * @param args extra flags, for example {@code --epochs 1 --limit 2000}
     */
    public static void main(String[] args) {
        RosettaCli.main(RosettaCli.withPrefix(args, "train", "cifar-cnn", "--dataset", "cifar10"));
    }

    /**
     * Trains and tests the tutorial's CNN on CIFAR-10.
     *
     * @param options data location and quick-run limits
     * @param runtime the started engine
     * @param out where the epoch lines and the accuracy go
     * @return the history and the test evaluation
     */
    public static ExampleResult run(ExampleOptions options, TorchRuntime runtime, PrintStream out) {
        // (train_images, train_labels), (test_images, test_labels) = cifar10.load_data(); / 255.0
        ImageData cifar10 = ImageDatasets.load(ImageDatasetId.CIFAR10, options.data());
        ImageBatches train = options.apply(cifar10.train()).batches(32, true, 42, Normalization.DIVIDE_255);
        ImageBatches test = options.apply(cifar10.test()).batches(32, false, 42, Normalization.DIVIDE_255);

        // model = models.Sequential(); model.add(layers.Conv2D(32, (3, 3), ...)) ... model.add(layers.Dense(10))
        CifarCNN.Spec model = new CifarCNN.Spec(new ImageShape(3, 32, 32), 10);
        // model.compile(optimizer='adam', loss=SparseCategoricalCrossentropy(from_logits=True), ...)
        TrainingConfig compile = options.apply(TrainingConfig.adam(0.001f).withEpochs(10).withBatchSize(32)
                .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON));

        // history = model.fit(train_images, train_labels, epochs=10, validation_data=(test_images, test_labels))
        // test_loss, test_acc = model.evaluate(x_test, y_test)
        ExampleResult result = ExampleResult.fitAndEvaluate(model, compile, train::epoch, test::epoch, runtime, out);
        out.printf(Locale.ROOT, "Test accuracy: %.4f%n", result.testAccuracy());
        return result;
    }
}
