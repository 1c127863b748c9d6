package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;

/**
 * Adam with PyTorch's update rule ({@code torch.optim.Adam}, no weight decay):
 *
 * <pre>{@code
 * m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * }</pre>
 *
 * computed as {@code p += -(lr * sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2))}, the same
 * value with fewer ops. Thirteen in-place or fused libtorch ops for the whole model per step;
 * DJL's Adam clones each gradient and adds a zero weight-decay term, per parameter.
 */
final class FlatAdam extends FlatOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    private final double epsilon;
    private final NDArray m;
    private final NDArray v;
    private final NDArray beta1;
    private final NDArray oneMinusBeta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta2;

    FlatAdam(FlatParameters parameters, float learningRate, float epsilon) {
        super(parameters, learningRate);
        this.epsilon = epsilon;
        m = newSlot();
        v = newSlot();
        beta1 = constant(BETA1);
        oneMinusBeta1 = constant(1 - BETA1);
        beta2 = constant(BETA2);
        oneMinusBeta2 = constant(1 - BETA2);
    }

    @Override
    protected void update(NDArray g) {
        double correction1 = 1 - Math.pow(BETA1, steps);
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(BETA2, steps));
        try (NDArray squared = g.mul(g);
                NDArray epsilonHat = constant(epsilon * sqrtCorrection2);
                NDArray negativeStep = constant(-learningRate * sqrtCorrection2 / correction1)) {
            v.muli(beta2).addi(squared.muli(oneMinusBeta2));
            m.muli(beta1).addi(g.muli(oneMinusBeta1));
            try (NDArray denominator = v.sqrt()) {
                denominator.addi(epsilonHat);
                try (NDArray update = m.div(denominator)) {
                    parameters.values().addi(update.muli(negativeStep));
                }
            }
        }
    }

    @Override
    OptimizerKind kind() {
        return OptimizerKind.ADAM;
    }
}
