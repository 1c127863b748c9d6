package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * Softmax regression: one linear layer from the flattened pixels to one logit per class, the
 * linear classifier of the plain-PyTorch reference run in docs/RESULTS.md (92.6% on MNIST).
 *
 * <pre>{@code
 * class SoftmaxRegression(nn.Module):
 *     def __init__(self, in_features=28 * 28, num_classes=10):
 *         super().__init__()
 *         self.linear = nn.Linear(in_features, num_classes)
 *
 *     def forward(self, x):
 *         return self.linear(x.view(x.size(0), -1))
 * }</pre>
 *
 * <p>Differences: none in the architecture; the input size comes from the dataset's image shape.
 * Weights start as PyTorch's {@code nn.Linear} does ({@link WeightInit#PYTORCH}) by default.
 */
public final class SoftmaxRegression extends SeedModel {

    private final Linear linear;

    /**
     * The arguments of a softmax regression.
     *
     * @param input the image shape
     * @param classes the number of classes
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
        }

        /**
         * The PyTorch-initialised model for an image shape and class count.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, WeightInit.PYTORCH);
        }

        @Override
        public String modelName() {
            return "softmax-regression";
        }

        @Override
        public SoftmaxRegression newBlock() {
            return new SoftmaxRegression(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public SoftmaxRegression(Spec spec) {
        super(spec);
        linear = addChildBlock("linear", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToLayer(linear, spec.input().size());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.reshape(x.getShape().get(0), -1);
        return new NDList(call(linear, parameterStore, x, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].slice(1).size()));
    }
}
