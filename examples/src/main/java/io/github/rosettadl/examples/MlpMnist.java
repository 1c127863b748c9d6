package io.github.rosettadl.examples;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
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
 * The Keras MLP seed on MNIST, statement by statement.
 *
 * <pre>{@code
 * (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
 * x_train, x_test = x_train / 255.0, x_test / 255.0
 * model = tf.keras.models.Sequential([
 *     tf.keras.layers.Flatten(input_shape=(28, 28)),
 *     tf.keras.layers.Dense(128, activation='relu'),
 *     tf.keras.layers.Dense(10, activation='softmax')
 * ])
 * model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
 * model.fit(x_train, y_train, epochs=10, batch_size=64)
 * test_loss, test_acc = model.evaluate(x_test, y_test)
 * print('Test accuracy:', test_acc)
 * }</pre>
 *
 * <p>Deliberate differences: the last layer gives logits and the softmax sits in the loss, which is
 * the same function computed stably (see {@link Mlp}); {@code fit} also reports the test set after
 * each epoch, as {@code validation_data} would. Keras's Glorot-uniform initialisation and Adam epsilon
 * 1e-7 are kept.
 */
public final class MlpMnist {

    private MlpMnist() {}

    /**
     * Runs the seed; flags as for {@code train mlp --dataset mnist}.
     *
     * @param args extra flags, for example {@code --epochs 1 --limit 2000}
     */
    public static void main(String[] args) {
        RosettaCli.main(RosettaCli.withPrefix(args, "train", "mlp", "--dataset", "mnist"));
    }

    /**
     * Trains and tests the seed's MLP on MNIST.
     *
     * @param options data location and quick-run limits
     * @param runtime the started engine
     * @param out where the epoch lines and the accuracy go
     * @return the history and the test evaluation
     */
    public static ExampleResult run(ExampleOptions options, TorchRuntime runtime, PrintStream out) {
        // (x_train, y_train), (x_test, y_test) = mnist.load_data(); x / 255.0
        ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, options.data());
        ImageBatches train = options.apply(mnist.train()).batches(64, true, 42, Normalization.DIVIDE_255);
        ImageBatches test = options.apply(mnist.test()).batches(64, false, 42, Normalization.DIVIDE_255);

        // model = Sequential([Flatten(input_shape=(28, 28)), Dense(128, 'relu'), Dense(10, 'softmax')])
        Mlp.Spec model = new Mlp.Spec(new ImageShape(1, 28, 28), 10);
        // model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        TrainingConfig compile = options.apply(TrainingConfig.adam(0.001f).withEpochs(10).withBatchSize(64)
                .withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON));

        // model.fit(x_train, y_train, epochs=10, batch_size=64)
        // test_loss, test_acc = model.evaluate(x_test, y_test)
        ExampleResult result = ExampleResult.fitAndEvaluate(model, compile, train::epoch, test::epoch, runtime, out);
        out.printf(Locale.ROOT, "Test accuracy: %.4f%n", result.testAccuracy());
        return result;
    }
}
