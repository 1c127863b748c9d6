package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Images in the memory layout that is fastest for this engine's convolution, batch-norm and pooling
 * kernels: channels last.
 *
 * <p>The shape stays (N, C, H, W) and every value stays where it is logically, so weights, logits
 * and gradients are the same numbers as in the plain layout (checked by a test), and checkpoints are
 * unchanged: only the strides change, to NHWC in memory, which oneDNN's convolutions and libtorch's
 * pooling vectorise over, and which each layer's output keeps up to the flatten before the dense
 * layers ({@link #flatten}). Measured on a whole training step (docs/PERFORMANCE.md), this cut the
 * SimpleCNN's step by about a quarter and CifarCNN's and BatchNormCNN's by a third. DJL has no
 * {@code contiguous(memory_format)}, so the copy is made by permuting to NHWC, forcing a contiguous
 * copy, and permuting back to a channels-last view.
 */
final class MemoryLayout {

    /** Off only in the test that compares both layouts. */
    static volatile boolean channelsLast = true;

    private MemoryLayout() {}

    /**
     * A channels-last copy of an (N, C, H, W) batch (views only when it is channels last already),
     * recorded by autograd like any other op.
     *
     * @param x the batch
     * @return the same values, channels last in memory
     */
    static NDArray channelsLast(NDArray x) {
        if (!channelsLast) {
            return x;
        }
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /**
     * Flattens a channels-last (N, C, H, W) batch to (N, C*H*W) in the plain order, as
     * {@code torch.flatten(x, 1)} does, and keeps the gradient that flows back through it channels
     * last.
     *
     * <p>A plain reshape would hand the layer before it a gradient in the NCHW layout; libtorch's
     * max-pool backward then takes its NCHW kernel and copies its input, its indices and its result
     * between the layouts (measured: the SimpleCNN's step 16-19% slower). Passing the batch through
     * {@link #channelsLast} first costs nothing going forward (it is already in that layout, so
     * every op is a view), and its backward copies the incoming gradient to channels last.
     *
     * @param x a batch from a layer that kept the channels-last layout
     * @param features C*H*W
     * @return the batch as (N, features)
     */
    static NDArray flatten(NDArray x, long features) {
        return channelsLast(x).reshape(-1, features);
    }
}
