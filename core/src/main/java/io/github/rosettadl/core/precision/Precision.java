package io.github.rosettadl.core.precision;

import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * The number type of the forward and backward passes. The weights the optimiser updates are float32
 * in both ("master weights"); with {@link #FP16} each step computes with a float16 copy of them, as
 * {@code torch.autocast(dtype=torch.float16)} does for convolutions and matrix products, and the
 * loss is computed in float32 from the logits, as autocast does for {@code log_softmax}.
 */
public enum Precision {
    /** Everything in float32: PyTorch's default. */
    FP32(DataType.FLOAT32),
    /** float16 forward and backward passes, float32 weights and loss, dynamic loss scaling. */
    FP16(DataType.FLOAT16);

    /** The valid command-line names. */
    public static final String VALID_NAMES = "fp32, fp16";

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /**
     * The type the forward and backward passes compute in.
     *
     * @return float32 or float16
     */
    public DataType dataType() {
        return dataType;
    }

    /**
     * Parses a command-line name.
     *
     * @param name {@code fp32} or {@code fp16}, case-insensitive
     * @return the precision
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static Precision parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.toString().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Invalid --precision '" + name + "'. Valid: " + VALID_NAMES + ".");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
