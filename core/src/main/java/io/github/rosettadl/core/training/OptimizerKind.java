package io.github.rosettadl.core.training;

import java.util.Locale;

/** The optimisers the training loop offers, with PyTorch's update rules. */
public enum OptimizerKind {
    /**
     * Adam ({@code torch.optim.Adam}, betas 0.9 and 0.999): the epsilon is added to the
     * bias-corrected {@code sqrt(v)}. Keras adds it before the correction, a difference that only
     * matters in the first steps; use epsilon 1e-7 for Keras seeds and 1e-8 for PyTorch seeds.
     */
    ADAM,
    /** Stochastic gradient descent ({@code torch.optim.SGD}), with optional momentum. */
    SGD;

    /**
     * Parses a name as given on a command line.
     *
     * @param name {@code adam} or {@code sgd}, case-insensitive
     * @return the optimiser
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static OptimizerKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "adam":
                return ADAM;
            case "sgd":
                return SGD;
            default:
                throw new IllegalArgumentException("Unknown optimizer '" + name + "'. Valid: adam, sgd.");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
