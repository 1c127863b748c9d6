package io.github.rosettadl.examples.cli;

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

    /**
     * Checks a {@code --limit} value, where 0 means all the data.
     *
     * @param limit the flag's value
     * @return the value
     */
    static int requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit + ".");
        }
        return limit;
    }
}
