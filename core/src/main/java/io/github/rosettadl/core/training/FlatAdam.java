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
 * <p>The optimiser step is memory-bound (the MLP has 0.1 M and the SimpleCNN 0.8 M parameters), so
 * what counts is passes over the parameter-sized buffers, and DJL offers no fused {@code addcmul}
 * or {@code lerp}. To save passes it keeps the moments scaled, {@code M = m / (1 - b1)} and
 * {@code V = v / (1 - b2)}, so that their updates lose a multiply each ({@code M = b1 M + g},
 * {@code V = b2 V + g^2}), and folds every scalar into one divisor:
 * {@code p -= M / ((sqrt(V) + eps') / s)} with {@code eps' = eps sqrt(1 - b2^t) / sqrt(1 - b2)} and
 * {@code s = lr (1 - b1) sqrt(1 - b2^t) / ((1 - b1^t) sqrt(1 - b2))}, the same value as PyTorch's
 * up to float rounding. Ten passes, of which three allocate; DJL's {@code Adam} makes thirteen per
 * parameter (a gradient copy in the parameter server, a clone and a zero weight-decay term in the
 * native update). The saved state holds the scaled moments.
 */
final class FlatAdam extends FlatOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    private final double epsilon;
    private final NDArray scaledM;
    private final NDArray scaledV;
    private final NDArray beta1;
    private final NDArray beta2;

    FlatAdam(FlatParameters parameters, float learningRate, float epsilon) {
        super(parameters, learningRate);
        this.epsilon = epsilon;
        scaledM = newSlot();
        scaledV = newSlot();
        beta1 = constant(BETA1);
        beta2 = constant(BETA2);
    }

    @Override
    protected void update(NDArray g) {
        double sqrtCorrection2 = Math.sqrt((1 - Math.pow(BETA2, steps)) / (1 - BETA2));
        double stepSize = learningRate * (1 - BETA1) * sqrtCorrection2 / (1 - Math.pow(BETA1, steps));
        scaledM.muli(beta1).addi(g);
        scaledV.muli(beta2).addi(g.muli(g));
        try (NDArray epsilonHat = constant(epsilon * sqrtCorrection2);
                NDArray inverseStep = constant(1 / stepSize);
                NDArray divisor = scaledV.sqrt()) {
            divisor.addi(epsilonHat).muli(inverseStep);
            try (NDArray update = scaledM.div(divisor)) {
                parameters.values().subi(update);
            }
        }
    }

    @Override
    OptimizerKind kind() {
        return OptimizerKind.ADAM;
    }
}
