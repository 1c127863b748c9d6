package io.github.rosettadl.core.compression;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the magnitude threshold is drawn: PyTorch's {@code prune.global_unstructured} against
 * {@code prune.l1_unstructured} called once per layer.
 */
public enum PruningScope {
    /** One threshold over every prunable weight: small layers may lose more than big ones. */
    GLOBAL,
    /** The target sparsity in every prunable layer separately. */
    LAYER;

    /**
     * The command-line name.
     *
     * @return {@code global} or {@code layer}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line name.
     *
     * @param name {@code global} or {@code layer}
     * @return the scope
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static PruningScope fromName(String name) {
        for (PruningScope s : values()) {
            if (s.cliName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Invalid --scope '" + name + "'. Valid: "
                + Arrays.stream(values()).map(PruningScope::cliName).collect(Collectors.joining(", ")) + ".");
    }
}
