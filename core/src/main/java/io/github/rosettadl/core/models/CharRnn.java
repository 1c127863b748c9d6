package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * The character-level language model of the Keras seed: embed each character, run a SimpleRNN over
 * the window, predict the next character from the last state.
 *
 * <pre>{@code
 * model = tf.keras.Sequential([
 *     tf.keras.layers.Embedding(vocab_size, embedding_dim),
 *     tf.keras.layers.SimpleRNN(64),
 *     tf.keras.layers.Dense(vocab_size, activation='softmax')
 * ])
 * model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
 * model.fit(X, y, epochs=10, batch_size=32)
 * }</pre>
 *
 * <p>Input: int64 {@code (N, T)} character indices; output: {@code (N, vocab)} logits of the next
 * character. The layers keep Keras's names ({@code embedding}, {@code simple_rnn}, {@code dense}).
 * Differences: logits out, softmax in the loss (see {@link SeedModel}); Keras initialisation
 * ({@link WeightInit#KERAS}, with one SimpleRNN bias as in Keras: the hidden-to-hidden one stays zero
 * and untrained); train with Adam's Keras epsilon 1e-7. Text comes out of
 * {@code TextGenerator} (package {@code predict}) by sampling with a temperature.
 */
public final class CharRnn extends SeedModel {

    private static final NDIndex LAST_STEP = new NDIndex(":, -1");

    private final Parameter embedding;
    private final RecurrentBlock simpleRnn;
    private final Linear dense;

    /**
     * The arguments of a character RNN.
     *
     * @param vocabulary the number of distinct characters
     * @param sequenceLength the window length the model is trained on; it accepts any length
     * @param embeddingSize the width of a character's embedding
     * @param hidden the SimpleRNN state size, 64 in the seed
     * @param init how the weights start
     */
    public record Spec(int vocabulary, int sequenceLength, int embeddingSize, int hidden, WeightInit init)
            implements ModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when a size is out of range
         */
        public Spec {
            Objects.requireNonNull(init, "init");
            if (vocabulary < 2 || sequenceLength < 1 || embeddingSize < 1 || hidden < 1) {
                throw new IllegalArgumentException("CharRnn needs a vocabulary of at least 2 and positive sizes, got"
                        + " vocabulary " + vocabulary + ", sequence length " + sequenceLength + ", embedding "
                        + embeddingSize + ", hidden " + hidden + ".");
            }
        }

        /**
         * The seed's model: a 32-wide embedding, SimpleRNN(64), Keras initialisation.
         *
         * @param vocabulary the number of distinct characters
         * @param sequenceLength the training window length
         */
        public Spec(int vocabulary, int sequenceLength) {
            this(vocabulary, sequenceLength, 32, 64, WeightInit.KERAS);
        }

        @Override
        public String modelName() {
            return "char-rnn";
        }

        @Override
        public Shape exampleShape() {
            return new Shape(sequenceLength);
        }

        @Override
        public DataType inputType() {
            return DataType.INT64;
        }

        @Override
        public int outputs() {
            return vocabulary;
        }

        @Override
        public CharRnn newBlock() {
            return new CharRnn(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public CharRnn(Spec spec) {
        super(spec);
        embedding = addParameter(Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(spec.vocabulary(), spec.embeddingSize()))
                .optInitializer(spec.init().embedding())
                .build());
        simpleRnn = addChildBlock("simple_rnn", RecurrentCell.SIMPLE_RNN.newBlock(spec.hidden()));
        dense = addChildBlock("dense", Linear.builder().setUnits(spec.vocabulary()).build());
        spec.init().applyToRecurrent(simpleRnn, RecurrentCell.SIMPLE_RNN, spec.hidden());
        spec.init().applyToLayer(dense, spec.hidden());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray chars = inputs.head();
        NDArray table = parameterStore.getValue(embedding, chars.getDevice(), training);
        NDArray x = Embedding.embedding(chars, table, SparseFormat.DENSE).head();
        x = call(simpleRnn, parameterStore, x, training);
        return new NDList(call(dense, parameterStore, x.get(LAST_STEP), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Spec spec = (Spec) spec();
        long batch = inputShapes[0].get(0);
        simpleRnn.initialize(manager, dataType, new Shape(batch, inputShapes[0].get(1), spec.embeddingSize()));
        dense.initialize(manager, dataType, new Shape(batch, spec.hidden()));
    }
}
