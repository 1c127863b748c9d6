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
 * The convolutional network of TensorFlow's CIFAR-10 tutorial seed: three valid 3x3 convolutions
 * with max-pooling between them, then two dense layers.
 *
 * <pre>{@code
 * model = models.Sequential()
 * model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
 * model.add(layers.MaxPooling2D((2, 2)))
 * model.add(layers.Conv2D(64, (3, 3), activation='relu'))
 * model.add(layers.MaxPooling2D((2, 2)))
 * model.add(layers.Conv2D(64, (3, 3), activation='relu'))
 * model.add(layers.Flatten())
 * model.add(layers.Dense(64, activation='relu'))
 * model.add(layers.Dense(10))
 * model.compile(optimizer='adam',
 *               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
 *               metrics=['accuracy'])
 * history = model.fit(train_images, train_labels, epochs=10,
 *                     validation_data=(test_images, test_labels))
 * }</pre>
 *
 * <p>The layers keep Keras's automatic names ({@code conv2d}, {@code conv2d_1}, {@code conv2d_2},
 * {@code dense}, {@code dense_1}). Differences: images are NCHW rather than Keras's NHWC, so the
 * flattened features come in another order (the same function, different weight layout); weights
 * start Glorot-uniform with zero biases as in Keras ({@link WeightInit#KERAS}); Keras's Adam uses
 * {@code epsilon=1e-7} and {@code fit} a batch size of 32. The batch is copied channels last in memory
 * (NHWC, as Keras keeps it) while its shape and the flatten order stay NCHW: faster kernels, the
 * same numbers.
 */
public final class CifarCNN extends SeedModel {

    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final int DENSE_UNITS = 64;

    private final Conv2d conv2d;
    private final Conv2d conv2d1;
    private final Conv2d conv2d2;
    private final Linear dense;
    private final Linear dense1;
    private final long flatFeatures;

    /**
     * The arguments of a CifarCNN.
     *
     * @param input the image shape, at least 18x18 so that three valid convolutions fit
     * @param classes the number of classes
     * @param init how the weights start
     */
    public record Spec(ImageShape input, int classes, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException when there are fewer than 2 classes or the image is too small
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            if (lastFeatureSide(input.height()) < 1 || lastFeatureSide(input.width()) < 1) {
                throw new IllegalArgumentException("CifarCNN's three valid 3x3 convolutions and two poolings need"
                        + " images of at least 18x18, got " + input + ".");
            }
        }

        /**
         * The tutorial's CNN (Keras initialisation) for an image shape and class count.
         *
         * @param input the image shape
         * @param classes the number of classes
         */
        public Spec(ImageShape input, int classes) {
            this(input, classes, WeightInit.KERAS);
        }

        @Override
        public String modelName() {
            return "cifar-cnn";
        }

        @Override
        public CifarCNN newBlock() {
            return new CifarCNN(this);
        }
    }

    /** Side of the last feature map: conv (-2), pool (/2), conv (-2), pool (/2), conv (-2). */
    private static long lastFeatureSide(int side) {
        return ((side - 2) / 2 - 2) / 2 - 2;
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public CifarCNN(Spec spec) {
        super(spec);
        ImageShape in = spec.input();
        flatFeatures = 64 * lastFeatureSide(in.height()) * lastFeatureSide(in.width());
        conv2d = addChildBlock("conv2d", conv(32));
        conv2d1 = addChildBlock("conv2d_1", conv(64));
        conv2d2 = addChildBlock("conv2d_2", conv(64));
        dense = addChildBlock("dense", Linear.builder().setUnits(DENSE_UNITS).build());
        dense1 = addChildBlock("dense_1", Linear.builder().setUnits(spec.classes()).build());
        WeightInit init = spec.init();
        init.applyToLayer(conv2d, in.channels() * KERNEL.size());
        init.applyToLayer(conv2d1, 32 * KERNEL.size());
        init.applyToLayer(conv2d2, 64 * KERNEL.size());
        init.applyToLayer(dense, flatFeatures);
        init.applyToLayer(dense1, DENSE_UNITS);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(KERNEL).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = MemoryLayout.channelsLast(inputs.head());
        x = maxPool(Activation.relu(call(conv2d, parameterStore, x, training)));
        x = maxPool(Activation.relu(call(conv2d1, parameterStore, x, training)));
        x = Activation.relu(call(conv2d2, parameterStore, x, training));
        x = MemoryLayout.flatten(x, flatFeatures); // Flatten
        x = Activation.relu(call(dense, parameterStore, x, training));
        return new NDList(call(dense1, parameterStore, x, training));
    }

    private static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, POOL, POOL, NO_PADDING, false);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        long batch = shape.get(0);
        conv2d.initialize(manager, dataType, shape);
        long h = (shape.get(2) - 2) / 2;
        long w = (shape.get(3) - 2) / 2;
        conv2d1.initialize(manager, dataType, new Shape(batch, 32, h, w));
        conv2d2.initialize(manager, dataType, new Shape(batch, 64, (h - 2) / 2, (w - 2) / 2));
        dense.initialize(manager, dataType, new Shape(batch, flatFeatures));
        dense1.initialize(manager, dataType, new Shape(batch, DENSE_UNITS));
    }
}
