package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * The multilayer perceptron of the Keras seed: flatten, one hidden ReLU layer, one output layer.
 *
 * <pre>{@code
 * model = tf.keras.models.Sequential([
 *     tf.keras.layers.Flatten(input_shape=(28, 28)),
 *     tf.keras.layers.Dense(128, activation='relu'),
 *     tf.keras.layers.Dense(10, activation='softmax')
 * ])
 * model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
 * model.fit(x_train, y_train, epochs=10, batch_size=64)
 * }</pre>
 *
 * <p>The layers keep Keras's automatic names, {@code dense} and {@code dense_1}. Differences:
 * {@code dense_1} returns logits and the softmax sits in the loss (see {@link SeedModel}); weights
 * start Glorot-uniform with zero biases as in Keras ({@link WeightInit#KERAS}); Keras's Adam uses
 * {@code epsilon=1e-7}, so train it with that epsilon to match the seed.
 */
public final class Mlp extends SeedModel {

    private final Linear dense;
    private final Linear dense1;

    /**
     * The arguments of an MLP.
     *
     * @param input the image shape
     * @param classes the number of classes
     * @param hidden the width of the hidden layer, 128 in the seed
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, int hidden, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes or no hidden units
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (hidden < 1) {
                throw new IllegalArgumentException("The hidden layer needs at least 1 unit, got " + hidden + ".");
            }
        }

        /**
         * The seed's MLP (128 hidden units, Keras initialisation) for an image shape and class count.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, 128, WeightInit.KERAS);
        }

        @Override
        public String modelName() {
            return "mlp";
        }

        @Override
        public Mlp newBlock() {
            return new Mlp(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public Mlp(Spec spec) {
        super(spec);
        dense = addChildBlock("dense", Linear.builder().setUnits(spec.hidden()).build());
        dense1 = addChildBlock("dense_1", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToLayer(dense, spec.input().size());
        spec.init().applyToLayer(dense1, spec.hidden());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.reshape(x.getShape().get(0), -1); // Flatten
        x = Activation.relu(call(dense, parameterStore, x, training));
        return new NDList(call(dense1, parameterStore, x, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        dense.initialize(manager, dataType, new Shape(batch, inputShapes[0].slice(1).size()));
        dense1.initialize(manager, dataType, new Shape(batch, ((Spec) spec()).hidden()));
    }
}
