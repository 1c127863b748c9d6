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
 * The small tanh network that private training on MNIST is usually measured with: two strided
 * convolutions, each followed by tanh and a 2x2 max-pool of stride 1, then two dense layers. It is
 * Tramèr and Boneh's end-to-end baseline ("Differentially Private Learning Needs Better Features",
 * 2021), which is Papernot et al.'s tempered-sigmoid network (2021), the CNN of the TF Privacy and
 * Opacus MNIST tutorials with tanh in place of ReLU. About 26,000 parameters.
 *
 * <pre>{@code
 * # Handcrafted-DP, models.py: MNIST_CNN(in_channels=1), its layers written out
 * self.features = nn.Sequential(
 *     nn.Conv2d(1, 16, kernel_size=8, stride=2, padding=2), nn.Tanh(),
 *     nn.MaxPool2d(kernel_size=2, stride=1),
 *     nn.Conv2d(16, 32, kernel_size=4, stride=2, padding=0), nn.Tanh(),
 *     nn.MaxPool2d(kernel_size=2, stride=1))
 * self.classifier = nn.Sequential(nn.Linear(32 * 4 * 4, 32), nn.Tanh(), nn.Linear(32, 10))
 *
 * def forward(self, x):
 *     x = self.features(x)
 *     x = x.view(x.size(0), -1)
 *     return self.classifier(x)
 * }</pre>
 *
 * <p>The layers are named {@code conv1}, {@code conv2}, {@code fc1}, {@code fc2}, as in Opacus's
 * {@code SampleConvNet}, the same network with ReLU, rather than by their {@code Sequential}
 * positions. Weights start as in PyTorch ({@link WeightInit#PYTORCH}). {@code fc1} takes
 * {@code 32 * 4 * 4} features for 28x28 images and, in general, what the two convolutions and
 * poolings leave of the image. The batch is copied channels last first: the same numbers, faster
 * kernels.
 */
public final class TanhCNN extends SeedModel {

    private static final Shape KERNEL1 = new Shape(8, 8);
    private static final Shape KERNEL2 = new Shape(4, 4);
    private static final Shape STRIDE = new Shape(2, 2);
    private static final Shape PADDING1 = new Shape(2, 2);
    private static final Shape POOL = new Shape(2, 2);
    private static final Shape POOL_STRIDE = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final int FILTERS1 = 16;
    private static final int FILTERS2 = 32;
    private static final int HIDDEN = 32;

    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear fc1;
    private final Linear fc2;
    private final long flatFeatures;

    /**
     * The arguments of a TanhCNN.
     *
     * @param input the image shape, at least 16x16 so that both convolutions and poolings fit
     * @param classes the number of classes
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes or the image is under 16x16
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (lastFeatureSide(input.height()) < 1 || lastFeatureSide(input.width()) < 1) {
                throw new IllegalArgumentException("TanhCNN's two strided convolutions and poolings need images of"
                        + " at least 16x16, got " + input + ".");
            }
        }

        /**
         * The network as Tramèr and Boneh train it (PyTorch initialisation), for an image shape and class count.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, WeightInit.PYTORCH);
        }

        @Override
        public String modelName() {
            return "tanh-cnn";
        }

        @Override
        public TanhCNN newBlock() {
            return new TanhCNN(this);
        }
    }

    /** Side after conv1 (8, stride 2, padding 2), a pool (2, stride 1), conv2 (4, stride 2), a pool. */
    private static long firstFeatureSide(long side) {
        return (side + 2 * 2 - 8) / 2 + 1;
    }

    private static long lastFeatureSide(long side) {
        long pooled = firstFeatureSide(side) - 1;
        return pooled < 4 ? 0 : (pooled - 4) / 2 + 1 - 1;
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public TanhCNN(Spec spec) {
        super(spec);
        ImageShape in = spec.input();
        flatFeatures = (long) FILTERS2 * lastFeatureSide(in.height()) * lastFeatureSide(in.width());
        conv1 = addChildBlock("conv1", Conv2d.builder().setKernelShape(KERNEL1).setFilters(FILTERS1)
                .optStride(STRIDE).optPadding(PADDING1).build());
        conv2 = addChildBlock("conv2", Conv2d.builder().setKernelShape(KERNEL2).setFilters(FILTERS2)
                .optStride(STRIDE).build());
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(HIDDEN).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(spec.classes()).build());
        WeightInit init = spec.init();
        init.applyToLayer(conv1, in.channels() * KERNEL1.size());
        init.applyToLayer(conv2, FILTERS1 * KERNEL2.size());
        init.applyToLayer(fc1, flatFeatures);
        init.applyToLayer(fc2, HIDDEN);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = MemoryLayout.channelsLast(inputs.head());
        x = maxPool(Activation.tanh(call(conv1, parameterStore, x, training)));
        x = maxPool(Activation.tanh(call(conv2, parameterStore, x, training)));
        x = MemoryLayout.flatten(x, flatFeatures); // x.view(x.size(0), -1)
        x = Activation.tanh(call(fc1, parameterStore, x, training));
        return new NDList(call(fc2, parameterStore, x, training));
    }

    private static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, POOL, POOL_STRIDE, NO_PADDING, false);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        long batch = shape.get(0);
        conv1.initialize(manager, dataType, shape);
        long h = firstFeatureSide(shape.get(2)) - 1;
        long w = firstFeatureSide(shape.get(3)) - 1;
        conv2.initialize(manager, dataType, new Shape(batch, FILTERS1, h, w));
        fc1.initialize(manager, dataType, new Shape(batch, flatFeatures));
        fc2.initialize(manager, dataType, new Shape(batch, HIDDEN));
    }
}
