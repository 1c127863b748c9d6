package io.github.rosettadl.core.precision;

import ai.djl.ndarray.NDArray;

/**
 * Dynamic loss scaling, the rules of PyTorch's {@code torch.cuda.amp.GradScaler} with its defaults.
 * float16 gradients below about 6e-8 round to zero, so the loss is multiplied by a large scale
 * before backward and the gradients divided by it again (in float32) before the update. A scale that
 * is too large makes some gradient overflow to infinity; then the step is skipped and the scale
 * halved. After {@value #GROWTH_INTERVAL} steps in a row without overflow the scale doubles, to find
 * the largest scale that still fits.
 *
 * <pre>{@code
 * scaler = torch.cuda.amp.GradScaler()     # init_scale=2**16, growth_factor=2.0,
 *                                          # backoff_factor=0.5, growth_interval=2000
 * scaler.scale(loss).backward()            # backward from loss * scale()
 * scaler.step(optimizer)                   # unscale; step only if every gradient is finite
 * scaler.update()                          # halve on overflow, double after 2000 clean steps
 * }</pre>
 *
 * <p>As in {@code GradScaler}, the scale never grows to infinity, and the unscaling multiplies by
 * the float32 reciprocal of the scale (exact while the scale is a power of two).
 */
public final class LossScaler {

    /** {@code GradScaler}'s {@code init_scale}: 2^16. */
    public static final float INIT_SCALE = 65536f;
    /** {@code GradScaler}'s {@code growth_factor}. */
    public static final float GROWTH_FACTOR = 2f;
    /** {@code GradScaler}'s {@code backoff_factor}. */
    public static final float BACKOFF_FACTOR = 0.5f;
    /** {@code GradScaler}'s {@code growth_interval}: clean steps before the scale grows. */
    public static final int GROWTH_INTERVAL = 2000;

    private final float growthFactor;
    private final float backoffFactor;
    private final int growthInterval;
    private float scale;
    private int growthTracker;
    private long skippedSteps;

    /** A scaler with {@code GradScaler}'s defaults. */
    public LossScaler() {
        this(INIT_SCALE, GROWTH_FACTOR, BACKOFF_FACTOR, GROWTH_INTERVAL);
    }

    /**
     * A scaler with other settings, named as in {@code GradScaler}.
     *
     * @param initScale the first scale, above 0
     * @param growthFactor the factor the scale grows by, above 1
     * @param backoffFactor the factor it shrinks by on overflow, in (0, 1)
     * @param growthInterval the clean steps before it grows, at least 1
     * @throws IllegalArgumentException naming the value out of range
     */
    public LossScaler(float initScale, float growthFactor, float backoffFactor, int growthInterval) {
        if (!(initScale > 0) || Float.isInfinite(initScale)) {
            throw new IllegalArgumentException("The initial loss scale must be a positive number, got " + initScale + ".");
        }
        if (!(growthFactor > 1) || Float.isInfinite(growthFactor)) {
            throw new IllegalArgumentException("The growth factor must be above 1, got " + growthFactor + ".");
        }
        if (!(backoffFactor > 0 && backoffFactor < 1)) {
            throw new IllegalArgumentException("The backoff factor must be in (0, 1), got " + backoffFactor + ".");
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("The growth interval must be at least 1, got " + growthInterval + ".");
        }
        this.scale = initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    /**
     * The factor the loss is multiplied by before backward.
     *
     * @return the current scale
     */
    public float scale() {
        return scale;
    }

    /**
     * Divides scaled gradients by the scale, in place, and says whether every one is finite:
     * {@code scaler.unscale_(optimizer)}, with its overflow check.
     *
     * @param gradients float32 gradients of the scaled loss; overwritten with the true gradients
     * @return true when every value is finite, so the step may be taken
     */
    public boolean unscale(NDArray gradients) {
        gradients.muli(1f / scale);
        // 0 * x is 0 for every finite x and NaN for an infinity or NaN, so one sum tells all
        try (NDArray zeros = gradients.mul(0f); NDArray sum = zeros.sum()) {
            return !Float.isNaN(sum.getFloat());
        }
    }

    /**
     * Updates the scale after a step: {@code scaler.update()}.
     *
     * @param foundOverflow whether the step's gradients held an infinity or NaN (the step was skipped)
     */
    public void update(boolean foundOverflow) {
        if (foundOverflow) {
            scale *= backoffFactor;
            growthTracker = 0;
            skippedSteps++;
            return;
        }
        growthTracker++;
        if (growthTracker == growthInterval) {
            float grown = scale * growthFactor;
            if (Float.isFinite(grown)) {
                scale = grown;
            }
            growthTracker = 0;
        }
    }

    /**
     * Clean steps since the scale last changed or overflowed: {@code GradScaler}'s growth tracker.
     *
     * @return from 0 to the growth interval minus 1
     */
    public int growthTracker() {
        return growthTracker;
    }

    /**
     * Steps skipped so far for overflow.
     *
     * @return the count
     */
    public long skippedSteps() {
        return skippedSteps;
    }
}
