package io.github.rosettadl.core.privacy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.training.GradientRule;

import java.util.List;

/**
 * DP-SGD's gradient (Abadi et al. 2016, "Deep Learning with Differential Privacy", algorithm 1):
 * each example's gradient is clipped to L2 norm at most {@code C}, the clipped gradients are summed,
 * Gaussian noise of standard deviation {@code sigma * C} is added to every coordinate of the sum, and
 * the result is divided by the expected batch size {@code q N}. With Poisson-sampled batches
 * ({@link PoissonSampler}) every step is the sampled Gaussian mechanism that {@link RdpAccountant}
 * accounts for; the optimiser that then uses the gradient (SGD, or Adam) is post-processing and
 * spends no privacy.
 *
 * <pre>{@code
 * # Opacus                                             # TF Privacy
 * model, optimizer, loader = PrivacyEngine().make_private(   DPKerasSGDOptimizer(
 *     module=model, optimizer=optimizer,                      l2_norm_clip=1.0,
 *     data_loader=loader, noise_multiplier=1.1,              noise_multiplier=1.1,
 *     max_grad_norm=1.0, poisson_sampling=True)               num_microbatches=256, learning_rate=0.15)
 * }</pre>
 *
 * <pre>{@code
 * session.setGradientRule(new DpSgd(1.1, 1.0, 256));
 * session.fit(poissonBatches, test);
 * }</pre>
 *
 * <p>Clipping follows Opacus: factor {@code min(1, C / (norm + 1e-6))}. The per-example gradients come
 * from {@link PerExampleGradients}: one forward and one backward pass per batch, not one per example.
 * The noise comes from libtorch's generator, seeded with the run's seed, which makes runs repeatable;
 * it is not a cryptographically secure generator (Opacus's {@code secure_mode}), which a deployment
 * that must resist attacks on the generator would need.
 */
public final class DpSgd implements GradientRule {

    private static final float CLIP_EPSILON = 1e-6f;

    private final double noiseMultiplier;
    private final double maxGradNorm;
    private final double expectedBatchSize;

    /**
     * DP-SGD with the given noise and clipping.
     *
     * @param noiseMultiplier sigma: the noise standard deviation over the clipping norm, 0 or more
     *     (0 clips without noise and gives no privacy)
     * @param maxGradNorm C, the clipping norm, above 0
     * @param expectedBatchSize {@code q N}, what the noisy sum is divided by, above 0
     */
    public DpSgd(double noiseMultiplier, double maxGradNorm, double expectedBatchSize) {
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("The noise multiplier must be 0 or more, got " + noiseMultiplier + ".");
        }
        if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("The clipping norm must be a positive number, got " + maxGradNorm
                    + ".");
        }
        if (!(expectedBatchSize > 0)) {
            throw new IllegalArgumentException("The expected batch size must be positive, got " + expectedBatchSize
                    + ".");
        }
        this.noiseMultiplier = noiseMultiplier;
        this.maxGradNorm = maxGradNorm;
        this.expectedBatchSize = expectedBatchSize;
    }

    @Override
    public Step compute(SeedModel model, ParameterStore parameterStore, NDArray x, NDArray y,
            List<Parameter> parameters) {
        NDManager manager = x.getManager();
        long size = 0;
        for (Parameter p : parameters) {
            size += p.getArray().size();
        }
        NDArray clippedSum;
        NDArray logits;
        float meanLoss;
        if (y.size() == 0) {
            // a Poisson batch can be empty; the step still releases noise, as the accountant assumes
            clippedSum = manager.zeros(new Shape(size), DataType.FLOAT32);
            logits = manager.zeros(new Shape(0, model.spec().outputs()), DataType.FLOAT32);
            meanLoss = 0;
        } else {
            PerExampleGradients gradients = PerExampleGradients.compute(model, parameterStore, x, y, parameters);
            NDArray factors = clipFactors(gradients.norms(), maxGradNorm);
            clippedSum = gradients.weightedSum(factors);
            logits = gradients.logits();
            meanLoss = gradients.meanLoss();
        }
        if (noiseMultiplier > 0) {
            NDArray noise = manager.randomNormal(0f, (float) (noiseMultiplier * maxGradNorm), new Shape(size),
                    DataType.FLOAT32);
            clippedSum = clippedSum.add(noise);
        }
        return new Step(logits, meanLoss, clippedSum.divi((float) expectedBatchSize));
    }

    /**
     * Opacus's clipping factors: {@code min(1, C / (norm + 1e-6))} per example.
     *
     * @param norms {@code (N)} per-example gradient norms
     * @param maxGradNorm C
     * @return {@code (N)} factors in (0, 1]
     */
    static NDArray clipFactors(NDArray norms, double maxGradNorm) {
        return norms.add(CLIP_EPSILON).pow(-1).mul((float) maxGradNorm).minimum(1f);
    }

    /**
     * Sigma.
     *
     * @return the noise multiplier
     */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /**
     * C.
     *
     * @return the clipping norm
     */
    public double maxGradNorm() {
        return maxGradNorm;
    }
}
