package io.github.rosettadl.core.interop;

import java.util.Map;

/**
 * The PyTorch {@code state_dict} name of each Java parameter.
 *
 * <p>{@link io.github.rosettadl.core.models.SeedModel#namedParameters()} names a parameter by its
 * layer and DJL's parameter name. The layer names are the PyTorch twins' attribute names already
 * ({@code conv1}, {@code dense_1}); only batch norm's and the recurrent layers' parameter names differ:
 *
 * <pre>
 * Java                         state_dict
 * LAYER.weight, LAYER.bias     LAYER.weight, LAYER.bias   (Linear, Conv2d: same shape and layout)
 * LAYER.gamma                  LAYER.weight               (BatchNorm2d)
 * LAYER.beta                   LAYER.bias
 * LAYER.runningMean            LAYER.running_mean
 * LAYER.runningVar             LAYER.running_var
 * (none)                       LAYER.num_batches_tracked  (int64 counter Java does not keep)
 * LAYER.l_0_i2h_WEIGHT         LAYER.weight_ih_l0         (RNN, LSTM, GRU)
 * LAYER.l_0_h2h_WEIGHT         LAYER.weight_hh_l0
 * LAYER.l_0_i2h_BIAS           LAYER.bias_ih_l0
 * LAYER.l_0_h2h_BIAS           LAYER.bias_hh_l0
 * </pre>
 *
 * <p>No tensor changes shape or element order: DJL's PyTorch engine stores weights as PyTorch does.
 */
public final class StateDictNames {

    /** The batch-norm counter of a {@code state_dict}, which has no Java counterpart. */
    public static final String BATCHES_TRACKED = "num_batches_tracked";
    /** The DJL name of batch norm's running mean, which marks a batch-norm layer. */
    static final String RUNNING_MEAN = "runningMean";
    /** The DJL name of batch norm's running variance, its last parameter. */
    static final String RUNNING_VAR = "runningVar";

    private static final Map<String, String> PARAMETERS = Map.of(
            "gamma", "weight",
            "beta", "bias",
            RUNNING_MEAN, "running_mean",
            RUNNING_VAR, "running_var",
            "l_0_i2h_WEIGHT", "weight_ih_l0",
            "l_0_h2h_WEIGHT", "weight_hh_l0",
            "l_0_i2h_BIAS", "bias_ih_l0",
            "l_0_h2h_BIAS", "bias_hh_l0");

    private StateDictNames() {
    }

    /**
     * The {@code state_dict} key of a Java parameter.
     *
     * @param javaName a key of {@code namedParameters()}, for example {@code bn1.runningMean}
     * @return the PyTorch name, for example {@code bn1.running_mean}
     * @throws IllegalArgumentException when the name has no layer part
     */
    public static String of(String javaName) {
        int dot = javaName.lastIndexOf('.');
        if (dot < 1 || dot == javaName.length() - 1) {
            throw new IllegalArgumentException("'" + javaName + "' is not a LAYER.PARAMETER name.");
        }
        String parameter = javaName.substring(dot + 1);
        return javaName.substring(0, dot + 1) + PARAMETERS.getOrDefault(parameter, parameter);
    }
}
