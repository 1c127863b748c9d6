package io.github.rosettadl.datasets.idx;

import java.util.Arrays;

/**
 * The content of one unsigned-byte IDX file: its dimensions and its items, row-major.
 *
 * @param dims the dimensions, for example {60000, 28, 28}
 * @param data the uint8 values, {@code product(dims)} of them
 */
public record IdxArray(int[] dims, byte[] data) {

    /**
     * The first dimension: images or labels in the file.
     *
     * @return {@code dims[0]}
     */
    public int count() {
        return dims[0];
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
