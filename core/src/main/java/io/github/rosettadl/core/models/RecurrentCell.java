package io.github.rosettadl.core.models;

import ai.djl.nn.recurrent.RNN;
import ai.djl.nn.recurrent.RecurrentBlock;

/** The recurrent layer of {@link RnnClassifier}: Keras's {@code SimpleRNN}, {@code LSTM} or {@code GRU}. */
public enum RecurrentCell {
    /** {@code SimpleRNN}: {@code h = tanh(W x + U h + b)}, one gate. */
    SIMPLE_RNN("simple_rnn", 1),
    /** {@code LSTM}: four gates (input, forget, cell, output). */
    LSTM("lstm", 4),
    /** {@code GRU}: three gates (reset, update, new), with the reset gate after the matrix product. */
    GRU("gru", 3);

    private final String kerasName;
    private final int gates;

    RecurrentCell(String kerasName, int gates) {
        this.kerasName = kerasName;
        this.gates = gates;
    }

    /**
     * The layer name Keras gives this cell in a {@code Sequential} model.
     *
     * @return for example {@code simple_rnn}
     */
    public String kerasName() {
        return kerasName;
    }

    /**
     * How many gate blocks the weight matrices stack.
     *
     * @return 1, 4 or 3
     */
    public int gates() {
        return gates;
    }

    /**
     * Whether Keras gives this cell a second, recurrent bias. Keras's {@code SimpleRNN} and
     * {@code LSTM} have one bias per gate; its {@code GRU} with {@code reset_after=True} (the default
     * since TensorFlow 2) has an input bias and a recurrent bias, as PyTorch's {@code nn.GRU} has,
     * because the reset gate multiplies {@code U h + b_h} and the two biases are no longer a sum.
     *
     * @return true for GRU only
     */
    public boolean kerasHasRecurrentBias() {
        return this == GRU;
    }

    /**
     * A one-layer, batch-first DJL block of this cell with the given hidden size.
     *
     * @param hidden the state size
     * @return the DJL recurrent block, not yet initialised
     */
    RecurrentBlock newBlock(int hidden) {
        switch (this) {
            case SIMPLE_RNN:
                return RNN.builder().setStateSize(hidden).setNumLayers(1)
                        .setActivation(RNN.Activation.TANH).optBatchFirst(true).build();
            case LSTM:
                return ai.djl.nn.recurrent.LSTM.builder().setStateSize(hidden).setNumLayers(1)
                        .optBatchFirst(true).build();
            case GRU:
                return ai.djl.nn.recurrent.GRU.builder().setStateSize(hidden).setNumLayers(1)
                        .optBatchFirst(true).build();
            default:
                throw new AssertionError(this);
        }
    }
}
