package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The scalar model {@code y = W * x + b} of the TensorFlow 1 linear-regression seed.
 *
 * <pre>{@code
 * W = tf.Variable(0.0, name='weights'); b = tf.Variable(0.0, name='biases')
 * model_output = W * x + b
 * }</pre>
 *
 * <p>Both parameters are scalars that start at 0.0, as {@code tf.Variable(0.0)} does; the input is
 * a 1-D array of x values and the output has the same shape.
 */
public final class LinearRegression extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter weights;
    private final Parameter biases;

    /** Creates the model with {@code W = 0} and {@code b = 0}. */
    public LinearRegression() {
        super(VERSION);
        // Type OTHER keeps a trainer's default weight initializer from replacing tf.Variable(0.0).
        weights = addParameter(scalar("weights"));
        biases = addParameter(scalar("biases"));
    }

    private static Parameter scalar(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape())
                .optInitializer(Initializer.ZEROS)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weights, x.getDevice(), training);
        NDArray b = parameterStore.getValue(biases, x.getDevice(), training);
        return new NDList(w.mul(x).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: the two scalars are this block's own parameters
    }

    /**
     * The learned weight W.
     *
     * @return W as a float
     */
    public float weight() {
        return weights.getArray().getFloat();
    }

    /**
     * The learned bias b.
     *
     * @return b as a float
     */
    public float bias() {
        return biases.getArray().getFloat();
    }
}
