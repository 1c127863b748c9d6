package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy of logits against integer labels: {@code -log softmax(logits)[label]}, computed as
 * log-softmax then a gather, which is {@code nn.CrossEntropyLoss} in PyTorch and Keras's
 * {@code sparse_categorical_crossentropy} after a softmax layer: log-softmax, a label view, a
 * gather and a mean (and a negation, which training folds into backward). DJL's
 * {@code SoftmaxCrossEntropyLoss} spends more on label reshaping and float labels.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * The mean loss over a batch, the value training differentiates.
     *
     * @param logits {@code (N, K)} scores
     * @param labels int64 {@code (N)} class indices
     * @return a scalar: the mean of {@code -log p(label)}
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return labelLogProbabilities(logits, labels).mean().neg();
    }

    /**
     * The summed loss over a batch, for averaging over a whole data set.
     *
     * @param logits {@code (N, K)} scores
     * @param labels int64 {@code (N)} class indices
     * @return a scalar: the sum of {@code -log p(label)}
     */
    public static NDArray sum(NDArray logits, NDArray labels) {
        return labelLogProbabilities(logits, labels).sum().neg();
    }

    /**
     * The mean of {@code log p(label)}: the loss without its minus sign. The training loop
     * differentiates this with an upstream gradient of -1, which saves the negation and its backward.
     *
     * @param logits {@code (N, K)} scores
     * @param labels int64 {@code (N)} class indices
     * @return a scalar, minus the mean loss
     */
    static NDArray meanLabelLogProbability(NDArray logits, NDArray labels) {
        return labelLogProbabilities(logits, labels).mean();
    }

    private static NDArray labelLogProbabilities(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1);
    }
}
