package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A VGG-style network with batch normalisation, for the variants that go beyond the seeds:
 * stages of 3x3 convolutions, each followed by batch norm and ReLU, with 2x2 max-pooling after each
 * stage, then dropout, a hidden dense layer, dropout, and the output layer.
 *
 * <pre>{@code
 * class BatchNormCNN(nn.Module):
 *     def __init__(self, in_channels, classes, widths=(32, 64), convs=1, hidden=128, p=0.3):
 *         super().__init__()
 *         layers, c = [], in_channels
 *         for w in widths:
 *             for _ in range(convs):
 *                 layers += [nn.Conv2d(c, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
 *                 c = w
 *             layers.append(nn.MaxPool2d(2))
 *         self.features = nn.Sequential(*layers)
 *         self.dropout = nn.Dropout(p)
 *         self.fc1 = nn.LazyLinear(hidden)
 *         self.fc2 = nn.Linear(hidden, classes)
 *
 *     def forward(self, x):
 *         x = torch.flatten(self.features(x), 1)
 *         x = self.dropout(F.relu(self.fc1(self.dropout(x))))
 *         return self.fc2(x)
 * }</pre>
 *
 * <p>The convolutions have no bias, because the batch norm right after them adds its own. Layers are
 * named {@code conv1, bn1, conv2, bn2, ...} in order, then {@code fc1} and {@code fc2}. Batch norm
 * uses PyTorch's defaults (momentum 0.1, epsilon 1e-5); the running statistics are saved in
 * checkpoints with the weights. The batch is copied channels last in memory first, which this
 * engine's convolution and batch-norm kernels run fastest on; the numbers are the same.
 */
public final class BatchNormCNN extends SeedModel {

    private static final Shape KERNEL = new Shape(3, 3);
    private static final Shape SAME = new Shape(1, 1);
    private static final Shape POOL = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);
    /**
     * Convolution widths must be multiples of this. Against a plain-Java reference
     * (ConvolutionWidthProbe in the core tests), libtorch 2.7.1 on CPU returns input gradients off by
     * 10 to 100%, sometimes NaN, for every output width that is not a multiple of 16, while 16, 32,
     * 48, 64, 96 and 128 are exact; Debian's PyTorch 1.13 is exact for all of them.
     */
    static final int CHANNEL_BLOCK = 16;

    private final List<Conv2d> convs = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final Dropout dropout;
    private final Linear fc1;
    private final Linear fc2;
    private final long flatFeatures;

    /**
     * The arguments of a batch-norm CNN.
     *
     * @param input the image shape; each stage halves it, so it must be at least 2^stages on each side
     * @param classes the number of classes
     * @param widths the channels of each stage's convolutions, each a multiple of 16, for example
     *     {@code [32, 64]}
     * @param convsPerStage how many convolutions each stage has, at least 1
     * @param hidden the width of the dense layer
     * @param dropoutRate the fraction dropped before and after the dense layer in training
     * @param init how the convolution and dense weights start
     */
    public record Spec(ImageShape input, int classes, List<Integer> widths, int convsPerStage, int hidden,
            float dropoutRate, WeightInit init) implements ImageModelSpec {

        /**
         * Checks the arguments.
         *
         * @throws IllegalArgumentException naming the argument that is out of range
         */
        public Spec {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(init, "init");
            ImageModelSpec.checkClasses(classes);
            widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
            if (widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("Every stage needs at least 1 channel (widths), got " + widths + ".");
            }
            if (widths.stream().anyMatch(w -> w % CHANNEL_BLOCK != 0)) {
                throw new IllegalArgumentException("Every stage's width must be a multiple of " + CHANNEL_BLOCK
                        + ", got " + widths + ": libtorch 2.7.1's CPU convolutions (oneDNN) compute wrong input"
                        + " gradients for other channel counts on AVX2 and AVX-512 processors, so such a model"
                        + " would train on garbage. Use for example " + roundedUp(widths) + ".");
            }
            int side = 1 << widths.size();
            if (input.height() < side || input.width() < side) {
                throw new IllegalArgumentException(widths.size() + " stages pool by 2 each, so images must be at"
                        + " least " + side + "x" + side + ", got " + input + ".");
            }
            if (convsPerStage < 1 || hidden < 1) {
                throw new IllegalArgumentException("Each stage needs at least 1 convolution and the dense layer"
                        + " at least 1 unit (convsPerStage and hidden), got " + convsPerStage + " and " + hidden + ".");
            }
            ImageModelSpec.checkDropoutRate(dropoutRate);
        }

        private static List<Integer> roundedUp(List<Integer> widths) {
            return widths.stream().map(w -> (w + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK).toList();
        }

        @Override
        public String modelName() {
            return "bn-cnn";
        }

        @Override
        public BatchNormCNN newBlock() {
            return new BatchNormCNN(this);
        }
    }

    /**
     * Builds the model.
     *
     * @param spec its arguments
     */
    public BatchNormCNN(Spec spec) {
        super(spec);
        int channels = spec.input().channels();
        int layer = 1;
        for (int width : spec.widths()) {
            for (int k = 0; k < spec.convsPerStage(); k++, layer++) {
                Conv2d conv = addChildBlock("conv" + layer, Conv2d.builder().setKernelShape(KERNEL)
                        .setFilters(width).optPadding(SAME).optBias(false).build());
                spec.init().applyToLayer(conv, (long) channels * KERNEL.size());
                convs.add(conv);
                norms.add(addChildBlock("bn" + layer, BatchNorm.builder().build()));
                channels = width;
            }
        }
        int stages = spec.widths().size();
        flatFeatures = (long) channels * (spec.input().height() >> stages) * (spec.input().width() >> stages);
        dropout = addChildBlock("dropout", Dropout.builder().optRate(spec.dropoutRate()).build());
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(spec.hidden()).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(spec.classes()).build());
        spec.init().applyToLayer(fc1, flatFeatures);
        spec.init().applyToLayer(fc2, spec.hidden());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        Spec spec = (Spec) spec();
        NDArray x = MemoryLayout.channelsLast(inputs.head());
        int layer = 0;
        for (int stage = 0; stage < spec.widths().size(); stage++) {
            for (int k = 0; k < spec.convsPerStage(); k++, layer++) {
                x = call(convs.get(layer), parameterStore, x, training);
                x = Activation.relu(call(norms.get(layer), parameterStore, x, training));
            }
            x = Pool.maxPool2d(x, POOL, POOL, NO_PADDING, false);
        }
        x = MemoryLayout.flatten(x, flatFeatures);
        x = Activation.relu(call(fc1, parameterStore, call(dropout, parameterStore, x, training), training));
        return new NDList(call(fc2, parameterStore, call(dropout, parameterStore, x, training), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Spec spec = (Spec) spec();
        long batch = inputShapes[0].get(0);
        long h = spec.input().height();
        long w = spec.input().width();
        long channels = spec.input().channels();
        int layer = 0;
        for (int width : spec.widths()) {
            for (int k = 0; k < spec.convsPerStage(); k++, layer++) {
                convs.get(layer).initialize(manager, dataType, new Shape(batch, channels, h, w));
                norms.get(layer).initialize(manager, dataType, new Shape(batch, width, h, w));
                channels = width;
            }
            h /= 2;
            w /= 2;
        }
        dropout.initialize(manager, dataType, new Shape(batch, flatFeatures));
        fc1.initialize(manager, dataType, new Shape(batch, flatFeatures));
        fc2.initialize(manager, dataType, new Shape(batch, spec.hidden()));
    }
}
