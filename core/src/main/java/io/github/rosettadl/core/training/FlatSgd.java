package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;

/**
 * SGD with PyTorch's update rule ({@code torch.optim.SGD}, no dampening, no Nesterov):
 * {@code p -= lr * g}, or with momentum {@code buf = momentum * buf + g; p -= lr * buf}. A zero
 * buffer gives the same first step as PyTorch's copy of the first gradient.
 */
final class FlatSgd extends FlatOptimizer {

    private NDArray negativeLearningRate;
    private final NDArray momentum;
    private final NDArray buffer;

    FlatSgd(FlatParameters parameters, float learningRate, float momentum) {
        super(parameters, learningRate);
        negativeLearningRate = constant(-learningRate);
        this.momentum = momentum > 0 ? constant(momentum) : null;
        buffer = momentum > 0 ? newSlot() : null;
    }

    @Override
    protected void learningRateChanged() {
        negativeLearningRate.close();
        negativeLearningRate = constant(-learningRate);
    }

    @Override
    protected void update(NDArray g) {
        if (buffer == null) {
            parameters.values().addi(g.muli(negativeLearningRate));
            return;
        }
        buffer.muli(momentum).addi(g);
        try (NDArray update = buffer.mul(negativeLearningRate)) {
            parameters.values().addi(update);
        }
    }

    @Override
    OptimizerKind kind() {
        return OptimizerKind.SGD;
    }
}
