package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Objects;

/**
 * The convolutional network of the PyTorch seed: one 3x3 convolution, max-pooling, two linear layers.
 *
 * <pre>{@code
 * class SimpleCNN(nn.Module):
 *     def __init__(self):
 *         super().__init__()
 *         self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
 *         self.pool = nn.MaxPool2d(2)
 *         self.fc1 = nn.Linear(32 * 26 * 26, 128)
 *         self.fc2 = nn.Linear(128, 10)
 *
 *     def forward(self, x):
 *         x = self.pool(F.relu(self.conv1(x)))
 *         x = x.view(-1, 32 * 13 * 13)
 *         x = F.relu(self.fc1(x))
 *         return self.fc2(x)
 * }</pre>
 *
 * <p>Fixed shape bug: with {@code padding=1} a 28x28 image stays 28x28 and pools to 14x14, so
 * {@code fc1} takes {@code 32*14*14} features (in general {@code 32 * (H/2) * (W/2)}), not the seed's
 * {@code 32*26*26} or {@code 32*13*13}. Weights start as in PyTorch ({@link WeightInit#PYTORCH}); the
 * seed trains it with Adam, lr 1e-3 and PyTorch's epsilon 1e-8. The batch is copied channels last
 * first ({@code x.to(memory_format=torch.channels_last)}): the same numbers, faster kernels.
 */
public final class SimpleCNN extends SeedModel {

    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final int FILTERS = 32;
    private static final int HIDDEN = 128;

    private final Conv2d conv1;
    private final Linear fc1;
    private final Linear fc2;
    private final long flatFeatures;

    /**
     * The arguments of a SimpleCNN.
     *
     * @param input the image shape, at least 2x2
     * @param classes the number of classes
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes or the image is under 2x2
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (input.height() < 2 || input.width() < 2) {
                throw new IllegalArgumentException("SimpleCNN pools by 2, so images must be at least 2x2, got "
                        + input + ".");
            }
        }

        /**
         * The seed's SimpleCNN (PyTorch initialisation) for an image shape and class count.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, WeightInit.PYTORCH);
        }

        @Override
        public String modelName() {
            return "simple-cnn";
        }

        @Override
        public SimpleCNN newBlock() {
            return new SimpleCNN(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public SimpleCNN(Spec spec) {
        super(spec);
        ImageShape in = spec.input();
        flatFeatures = (long) FILTERS * (in.height() / 2) * (in.width() / 2);
        conv1 = addChildBlock("conv1", Conv2d.builder()
                .setKernelShape(KERNEL).setFilters(FILTERS).optPadding(new Shape(1, 1)).build());
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(HIDDEN).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToLayer(conv1, in.channels() * KERNEL.size());
        spec.init().applyToLayer(fc1, flatFeatures);
        spec.init().applyToLayer(fc2, HIDDEN);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = MemoryLayout.channelsLast(inputs.head());
        x = Pool.maxPool2d(Activation.relu(call(conv1, parameterStore, x, training)), POOL, POOL, NO_PADDING, false);
        x = MemoryLayout.flatten(x, flatFeatures);
        x = Activation.relu(call(fc1, parameterStore, x, training));
        return new NDList(call(fc2, parameterStore, x, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        conv1.initialize(manager, dataType, inputShapes[0]);
        fc1.initialize(manager, dataType, new Shape(batch, flatFeatures));
        fc2.initialize(manager, dataType, new Shape(batch, HIDDEN));
    }
}
