package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * The wider MLP of Keras's {@code mnist_mlp.py} example: two hidden layers of 512 with dropout.
 *
 * <pre>{@code
 * model = Sequential()
 * model.add(Dense(512, activation='relu', input_shape=(784,)))
 * model.add(Dropout(0.2))
 * model.add(Dense(512, activation='relu'))
 * model.add(Dropout(0.2))
 * model.add(Dense(num_classes, activation='softmax'))
 * model.compile(loss='categorical_crossentropy', optimizer=RMSprop(), metrics=['accuracy'])
 * model.fit(x_train, y_train, batch_size=128, epochs=20)
 * }</pre>
 *
 * <p>Layers keep Keras's names. Differences: logits out (see {@link SeedModel}); the preset that
 * trains it uses Adam with a cosine schedule rather than RMSprop, which this project does not implement.
 */
public final class DropoutMlp extends SeedModel {

    private final Linear dense;
    private final Dropout dropout;
    private final Linear dense1;
    private final Dropout dropout1;
    private final Linear dense2;

    /**
     * The arguments of the dropout MLP.
     *
     * @param input the image shape
     * @param classes the number of classes
     * @param hidden the width of both hidden layers, 512 in the Keras example
     * @param dropoutRate the fraction of hidden activations dropped in training, 0.2 in the example
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, int hidden, float dropoutRate, WeightInit init)
            implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException for fewer than 2 classes, no hidden units or a rate outside [0, 1)
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (hidden < 1) {
                throw new IllegalArgumentException("The hidden layers need at least 1 unit, got " + hidden + ".");
            }
            ImageModelSpec.checkDropoutRate(dropoutRate);
        }

        /**
         * The Keras example's network: 512 units, dropout 0.2, Keras initialisation.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, 512, 0.2f, WeightInit.KERAS);
        }

        @Override
        public String modelName() {
            return "mlp-dropout";
        }

        @Override
        public DropoutMlp newBlock() {
            return new DropoutMlp(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public DropoutMlp(Spec spec) {
        super(spec);
        dense = addChildBlock("dense", Linear.builder().setUnits(spec.hidden()).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(spec.dropoutRate()).build());
        dense1 = addChildBlock("dense_1", Linear.builder().setUnits(spec.hidden()).build());
        dropout1 = addChildBlock("dropout_1", Dropout.builder().optRate(spec.dropoutRate()).build());
        dense2 = addChildBlock("dense_2", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToLayer(dense, spec.input().size());
        spec.init().applyToLayer(dense1, spec.hidden());
        spec.init().applyToLayer(dense2, spec.hidden());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.reshape(x.getShape().get(0), -1);
        x = call(dropout, parameterStore, Activation.relu(call(dense, parameterStore, x, training)), training);
        x = call(dropout1, parameterStore, Activation.relu(call(dense1, parameterStore, x, training)), training);
        return new NDList(call(dense2, parameterStore, x, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape hidden = new Shape(batch, ((Spec) spec()).hidden());
        dense.initialize(manager, dataType, new Shape(batch, inputShapes[0].slice(1).size()));
        dropout.initialize(manager, dataType, hidden);
        dense1.initialize(manager, dataType, hidden);
        dropout1.initialize(manager, dataType, hidden);
        dense2.initialize(manager, dataType, hidden);
    }
}
