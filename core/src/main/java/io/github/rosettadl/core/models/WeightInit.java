package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * How a model's weights start: as in Keras or as in PyTorch.
 *
 * <p>DJL's own default (He-normal weights) matches neither framework, so every model sets one of
 * these explicitly and the Java run starts from the same distribution as its Python original.
 */
public enum WeightInit {
    /**
     * Keras's defaults: Glorot-uniform kernels ({@code U(±sqrt(6 / (fan_in + fan_out)))}), orthogonal
     * recurrent kernels, zero biases (an LSTM's forget-gate bias at 1, {@code unit_forget_bias}), and
     * embeddings {@code U(±0.05)}. A SimpleRNN or LSTM has one bias, as in Keras: the cell's
     * hidden-to-hidden bias stays zero and untrained (see {@link RecurrentCell#kerasHasRecurrentBias()}).
     */
    KERAS,
    /**
     * PyTorch's defaults: {@code nn.Linear} and {@code nn.Conv2d} weights and biases
     * {@code U(±1/sqrt(fan_in))} ({@code kaiming_uniform_(a=sqrt(5))}), recurrent weights and biases
     * {@code U(±1/sqrt(hidden))}, embeddings {@code N(0, 1)}.
     */
    PYTORCH;

    /** Glorot-uniform, as DJL spells it: magnitude 3 over the average fan gives sqrt(6 / (in + out)). */
    private static final Initializer GLOROT_UNIFORM =
            new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3f);
    private static final float KERAS_EMBEDDING_RANGE = 0.05f;

    /**
     * Sets the initialisers of a dense or convolutional layer.
     *
     * @param layer a {@code Linear} or {@code Conv2d} block
     * @param fanIn inputs per output unit (in features, or in channels times kernel area)
     */
    void applyToLayer(Block layer, long fanIn) {
        if (this == KERAS) {
            layer.setInitializer(GLOROT_UNIFORM, Parameter.Type.WEIGHT);
            layer.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        } else {
            Initializer bound = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
            layer.setInitializer(bound, Parameter.Type.WEIGHT);
            layer.setInitializer(bound, Parameter.Type.BIAS);
        }
    }

    /**
     * Sets the initialisers of a one-layer recurrent block (DJL parameter names {@code l_0_i2h_WEIGHT},
     * {@code l_0_h2h_WEIGHT}, {@code l_0_i2h_BIAS}, {@code l_0_h2h_BIAS}).
     *
     * @param recurrent the DJL recurrent block
     * @param cell the cell type, for the gate layout
     * @param hidden the state size
     */
    void applyToRecurrent(Block recurrent, RecurrentCell cell, int hidden) {
        if (this == PYTORCH) {
            Initializer bound = new UniformInitializer((float) (1 / Math.sqrt(hidden)));
            recurrent.setInitializer(bound, p -> true);
            return;
        }
        recurrent.setInitializer(GLOROT_UNIFORM, p -> p.getName().contains("i2h_WEIGHT"));
        recurrent.setInitializer(new OrthogonalInitializer(), p -> p.getName().contains("h2h_WEIGHT"));
        recurrent.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        if (!cell.kerasHasRecurrentBias()) {
            // Keras has one bias where DJL, like PyTorch, has two that add up and take the same
            // gradient: trained both, their sum would move twice as far per step as Keras's bias.
            // The hidden-to-hidden one stays zero and out of the optimiser, so the input one is Keras's.
            recurrent.freezeParameters(true, p -> p.getName().contains("h2h_BIAS"));
        }
        if (cell == RecurrentCell.LSTM) {
            // the forget gate's 1 goes in the input bias; PyTorch's gate order is input, forget, cell, output
            recurrent.setInitializer((manager, shape, dataType) -> {
                NDArray bias = manager.zeros(shape, dataType);
                bias.set(new NDIndex(hidden + ":" + (2 * hidden)), 1f);
                return bias;
            }, p -> p.getName().contains("i2h_BIAS"));
        }
    }

    /**
     * The initialiser of an embedding table.
     *
     * @return Keras's {@code U(±0.05)} or PyTorch's {@code N(0, 1)}
     */
    Initializer embedding() {
        return this == KERAS ? new UniformInitializer(KERAS_EMBEDDING_RANGE) : new NormalInitializer(1f);
    }
}
