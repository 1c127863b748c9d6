package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Sums the gradients of K batches before one update, so that the update equals one batch K times
 * larger. Each batch's gradient is the mean over its examples; the group's is their mean weighted by
 * batch size, {@code sum(n_k * g_k) / sum(n_k)}, which for K equal batches is PyTorch's
 *
 * <pre>{@code
 * loss = criterion(model(x), y) / K        # K = accumulation steps
 * loss.backward()                          # gradients add up in .grad
 * if (i + 1) % K == 0:
 *     optimizer.step(); optimizer.zero_grad()
 * }</pre>
 *
 * <p>Weighting by size keeps the equality when batches differ: an epoch's last group may hold
 * fewer than K batches, or a last batch smaller than the rest, and is applied at the end of the
 * epoch as the mean over its own examples, which is what the last, smaller batch of a K times larger
 * batch size gives. So a group never spans two epochs, and a checkpoint (written between epochs)
 * never holds half a group.
 *
 * <p>Batch norm still sees each batch on its own: its statistics are those of the small batch, and
 * its running averages move once per batch (K times per update), as in PyTorch with accumulation.
 */
final class GradientAccumulation {

    private final int batches;
    private final NDManager manager;
    private NDArray sum;
    private int held;
    private long examples;

    /**
     * An accumulation of K batches.
     *
     * @param batches K, at least 1 (1 updates after every batch)
     * @param manager where the running sum lives, on the training device
     */
    GradientAccumulation(int batches, NDManager manager) {
        if (batches < 1) {
            throw new IllegalArgumentException("Gradient accumulation needs at least 1 batch per update, got "
                    + batches + ".");
        }
        this.batches = batches;
        this.manager = manager;
    }

    /**
     * Batches per update.
     *
     * @return K
     */
    int batches() {
        return batches;
    }

    /**
     * Adds one batch's mean gradient; takes ownership of it.
     *
     * @param gradient the flat mean gradient of a batch, which this call may overwrite or close
     * @param size the batch's examples
     * @return the group's mean gradient when this batch completes a group (the caller closes it),
     *     otherwise null
     */
    NDArray add(NDArray gradient, long size) {
        if (batches == 1) {
            return gradient;
        }
        if (sum == null) {
            sum = gradient.muli(size);
            sum.attach(manager);
        } else {
            sum.addi(gradient.muli(size));
            gradient.close();
        }
        held++;
        examples += size;
        return held == batches ? take() : null;
    }

    /**
     * The mean gradient of a group cut short by the end of the epoch.
     *
     * @return the mean over the held batches' examples (the caller closes it), or null when none are held
     */
    NDArray flush() {
        return held == 0 ? null : take();
    }

    private NDArray take() {
        NDArray mean = sum.divi(examples);
        sum = null;
        held = 0;
        examples = 0;
        return mean;
    }
}
