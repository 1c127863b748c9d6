package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * An image read row by row as a sequence: a recurrent layer over the rows, then a dense layer on
 * its last output. No seed file defines it; it is the classic Keras row classifier.
 *
 * <pre>{@code
 * model = tf.keras.Sequential([
 *     tf.keras.layers.SimpleRNN(64, input_shape=(28, 28)),   # or LSTM(64), GRU(64)
 *     tf.keras.layers.Dense(10, activation='softmax')
 * ])
 * }</pre>
 *
 * <p>Each of the {@code H} time steps sees one row of {@code C * W} values (all channels of that
 * row). The layers keep Keras's names ({@code simple_rnn}, {@code lstm} or {@code gru}, and
 * {@code dense}). Differences: logits out, softmax in the loss (see {@link SeedModel}); Keras
 * initialisation by default (Glorot input kernel, orthogonal recurrent kernel, zero bias, and one
 * bias per gate for SimpleRNN and LSTM: the cell's hidden-to-hidden bias stays zero and untrained),
 * with {@link WeightInit#PYTORCH} matching {@code nn.RNN}, which the plain-PyTorch reference run
 * uses, both biases trained.
 */
public final class RnnClassifier extends SeedModel {

    private static final NDIndex LAST_STEP = new NDIndex(":, -1");

    private final RecurrentBlock recurrent;
    private final Linear dense;

    /**
     * The arguments of a row classifier.
     *
     * @param input the image shape; rows are the time steps
     * @param classes the number of classes
     * @param cell the recurrent cell
     * @param hidden the recurrent state size, 64 by default
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, RecurrentCell cell, int hidden, WeightInit init)
            implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes or no hidden units
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (hidden < 1) {
                throw new IllegalArgumentException("The recurrent layer needs at least 1 unit, got " + hidden + ".");
            }
        }

        /**
         * A SimpleRNN with 64 units and Keras initialisation.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, RecurrentCell.SIMPLE_RNN, 64, WeightInit.KERAS);
        }

        @Override
        public String modelName() {
            return "rnn";
        }

        @Override
        public RnnClassifier newBlock() {
            return new RnnClassifier(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public RnnClassifier(Spec spec) {
        super(spec);
        recurrent = addChildBlock(spec.cell().kerasName(), spec.cell().newBlock(spec.hidden()));
        dense = addChildBlock("dense", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToRecurrent(recurrent, spec.cell(), spec.hidden());
        spec.init().applyToLayer(dense, spec.hidden());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        // (N, C, H, W) -> (N, H, C * W): one time step per row; a grey image needs only a view
        NDArray rows = s.get(1) == 1 ? x.reshape(s.get(0), s.get(2), s.get(3))
                : x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
        NDArray sequence = call(recurrent, parameterStore, rows, training);
        return new NDList(call(dense, parameterStore, sequence.get(LAST_STEP), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        recurrent.initialize(manager, dataType, new Shape(s.get(0), s.get(2), s.get(1) * s.get(3)));
        dense.initialize(manager, dataType, new Shape(s.get(0), ((Spec) spec()).hidden()));
    }
}
