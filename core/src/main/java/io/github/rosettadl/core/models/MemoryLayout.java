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
 * layers. Measured on a whole training step (docs/PERFORMANCE.md), this cut the SimpleCNN's step by
 * about a quarter and CifarCNN's and BatchNormCNN's by a third. DJL has no
 * {@code contiguous(memory_format)}, so the copy is made by permuting to NHWC, forcing a contiguous
 * copy, and permuting back to a channels-last view.
 */
final class MemoryLayout {

    /** Off only in the test that compares both layouts. */
    static volatile boolean channelsLast = true;

    private MemoryLayout() {}

    /**
     * A channels-last copy of an (N, C, H, W) batch, recorded by autograd like any other op.
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
}
