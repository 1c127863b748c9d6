package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every model translated from a seed: a DJL block that remembers the {@link ModelSpec}
 * it was built from and whose forward pass reads like the Python one, layer by layer.
 *
 * <p>Every model returns logits. Where the Keras original ends in {@code softmax} and trains with
 * {@code sparse_categorical_crossentropy}, the softmax lives in the loss instead (log-softmax plus
 * negative log-likelihood), which is the same function but numerically stable.
 */
public abstract class SeedModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelSpec spec;

    /**
     * Creates the block for a spec.
     *
     * @param spec the architecture and its arguments
     */
    protected SeedModel(ModelSpec spec) {
        super(VERSION);
        this.spec = spec;
    }

    /**
     * The spec this model was built from.
     *
     * @return the spec, to save beside the weights
     */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * Runs one child layer on one array, as {@code self.layer(x)} does in Python, or hands it to the
     * {@link LayerInterceptor} installed on this thread.
     *
     * @param layer the child block
     * @param parameterStore the parameter store of this forward pass
     * @param x the input
     * @param training whether this is a training pass
     * @return the layer's single output
     */
    protected static NDArray call(Block layer, ParameterStore parameterStore, NDArray x, boolean training) {
        LayerInterceptor interceptor = LayerInterceptor.Installed.current();
        if (interceptor != null) {
            return interceptor.call(layer, parameterStore, x, training);
        }
        return layer.forward(parameterStore, new NDList(x), training).head();
    }

    /**
     * Every parameter under a PyTorch-style {@code state_dict} name, in DJL's order: the layer name,
     * a dot, the parameter name ({@code conv1.weight}, {@code simple_rnn.l_0_h2h_WEIGHT}); DJL's
     * numeric child prefixes ({@code 01conv1_weight}) are dropped.
     *
     * @return the parameters by name, in a stable order
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : getDirectParameters()) {
            named.put(p.getKey(), p.getValue());
        }
        for (Pair<String, Block> child : getChildren()) {
            String layer = child.getKey().replaceFirst("^\\d+", "");
            for (Pair<String, Parameter> p : child.getValue().getParameters()) {
                named.put(layer + "." + p.getKey(), p.getValue());
            }
        }
        return named;
    }

    /**
     * The parameters the optimiser updates, in {@link #namedParameters()} order: every parameter that
     * takes a gradient, so not batch norm's running statistics.
     *
     * @return the trained parameters
     */
    public List<Parameter> trainedParameters() {
        return namedParameters().values().stream().filter(Parameter::requiresGradient).toList();
    }

    /**
     * The parameters an optimiser updated before a SimpleRNN's or LSTM's hidden-to-hidden bias was
     * held out of training (see {@link WeightInit#KERAS}): {@link #trainedParameters()} plus those
     * untrained biases, in {@link #namedParameters()} order. A checkpoint saved then has optimiser
     * buffers over these.
     *
     * @return the parameters of the earlier optimiser layout
     */
    public List<Parameter> formerlyTrainedParameters() {
        return namedParameters().values().stream()
                .filter(p -> p.requiresGradient() || isUntrainedRecurrentBias(p)).toList();
    }

    /**
     * Folds a non-zero hidden-to-hidden bias into the input-to-hidden bias wherever the former is
     * held at zero and out of training, and sets it back to zero. The cell computes
     * {@code W x + b_i2h + U h + b_h2h}, so only the sum counts and predictions stay the same (up to
     * float rounding). Weights saved before that bias was held out carry a trained one; loading calls
     * this. Call with grad mode off.
     *
     * @return how many biases were folded
     */
    public int foldUntrainedRecurrentBiases() {
        int folded = 0;
        for (Pair<String, Block> child : getChildren()) {
            if (!(child.getValue() instanceof RecurrentBlock)) {
                continue;
            }
            ParameterList parameters = child.getValue().getParameters();
            for (Pair<String, Parameter> p : parameters) {
                Parameter hidden = p.getValue();
                if (!isUntrainedRecurrentBias(hidden)) {
                    continue;
                }
                NDArray h2h = hidden.getArray();
                NDArray i2h = parameters.get(p.getKey().replace("h2h_BIAS", "i2h_BIAS")).getArray();
                if (h2h.abs().max().getFloat() != 0f) {
                    i2h.addi(h2h);
                    h2h.subi(h2h);
                    folded++;
                }
            }
        }
        return folded;
    }

    private static boolean isUntrainedRecurrentBias(Parameter p) {
        return !p.requiresGradient() && p.getName().contains("h2h_BIAS");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), spec.outputs())};
    }
}
