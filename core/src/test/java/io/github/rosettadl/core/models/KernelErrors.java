package io.github.rosettadl.core.models;

/**
 * How far libtorch's result for one layer is from a plain-Java double-precision reference: the
 * largest absolute difference of each tensor, relative to the largest reference value in it.
 *
 * @param output the forward result
 * @param inputGradient the gradient with respect to the layer's input
 * @param weightGradient the gradient with respect to the weight
 * @param biasGradient the gradient with respect to the bias
 */
record KernelErrors(double output, double inputGradient, double weightGradient, double biasGradient) {

    /**
     * Whether every error is below the tolerance (NaN never is).
     *
     * @param tolerance the relative tolerance
     * @return true when libtorch agrees with the reference
     */
    boolean within(double tolerance) {
        return output < tolerance && inputGradient < tolerance && weightGradient < tolerance
                && biasGradient < tolerance;
    }

    static double relative(double[] reference, float[] actual) {
        double error = 0;
        double scale = 0;
        for (int i = 0; i < reference.length; i++) {
            error = Math.max(error, Math.abs(reference[i] - actual[i])); // Math.max keeps a NaN
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return error / scale;
    }
}
