package io.github.rosettadl.examples;

/** Range checks on numeric flags, reported with the flag's name. */
final class PositiveChecks {

    private PositiveChecks() {}

    static int require(String flag, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + value + ".");
        }
        return value;
    }

    static float require(String flag, float value) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + value + ".");
        }
        return value;
    }
}
