package io.github.rosettadl.core.compression;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * A float32 buffer stored as a bitmask of its nonzero values plus those values: what a pruned
 * checkpoint keeps in place of {@code parameters.bin} and {@code optimizer.bin}. At 90% sparsity a
 * weight costs 1 bit plus a tenth of 4 bytes, 0.525 bytes against 4.
 *
 * <p>The layout, little-endian: the value count {@code n} (int32), the nonzero count {@code k}
 * (int32), {@code ceil(n / 8)} mask bytes (value {@code i} is bit {@code i % 8}, least significant
 * first, of byte {@code i / 8}: numpy's {@code packbits(..., bitorder="little")}), then the
 * {@code k} nonzero values as float32 in order. Decoding checks every count against the others,
 * so a damaged buffer is refused, never read as other weights.
 */
public final class SparseParameters {

    /** The suffix of a sparse entry: {@code parameters.sparse} stands for {@code parameters.bin}. */
    public static final String SUFFIX = ".sparse";

    private static final String DENSE_SUFFIX = ".bin";
    private static final List<String> DENSE_ENTRIES = List.of("parameters.bin", "optimizer.bin");
    private static final int HEADER_BYTES = 2 * Integer.BYTES;

    private SparseParameters() {
    }

    /**
     * Encodes a dense buffer.
     *
     * @param dense float32 little-endian values, as in {@code parameters.bin}
     * @return the sparse form
     */
    public static byte[] encode(byte[] dense) {
        if (dense.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("A float32 buffer has a multiple of 4 bytes, got " + dense.length + ".");
        }
        ByteBuffer in = ByteBuffer.wrap(dense).order(ByteOrder.LITTLE_ENDIAN);
        int n = dense.length / Float.BYTES;
        byte[] mask = new byte[(n + 7) / 8];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (in.getFloat(i * Float.BYTES) != 0f) { // -0.0 counts as zero: it predicts the same
                mask[i >>> 3] |= (byte) (1 << (i & 7));
                k++;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(Math.addExact(HEADER_BYTES + mask.length, Math.multiplyExact(k, Float.BYTES)))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(n).putInt(k).put(mask);
        for (int i = 0; i < n; i++) {
            float v = in.getFloat(i * Float.BYTES);
            if (v != 0f) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /**
     * Decodes a sparse buffer back into dense float32 values.
     *
     * @param entry the entry's name, for the error message
     * @param sparse the sparse form
     * @return float32 little-endian values
     * @throws IllegalArgumentException naming the entry when the counts disagree
     */
    public static byte[] decode(String entry, byte[] sparse) {
        if (sparse.length < HEADER_BYTES) {
            throw damaged(entry, "holds " + sparse.length + " bytes, fewer than its 8-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(sparse).order(ByteOrder.LITTLE_ENDIAN);
        int n = in.getInt();
        int k = in.getInt();
        if (n < 0 || k < 0 || k > n) {
            throw damaged(entry, "says " + k + " nonzero values of " + n);
        }
        int maskBytes = (n + 7) / 8;
        long expected = HEADER_BYTES + (long) maskBytes + (long) k * Float.BYTES;
        if (sparse.length != expected) {
            throw damaged(entry, "holds " + sparse.length + " bytes, but " + n + " values with " + k
                    + " nonzero need " + expected);
        }
        int set = 0;
        for (int b = 0; b < maskBytes; b++) {
            set += Integer.bitCount(sparse[HEADER_BYTES + b] & 0xff);
        }
        int unused = maskBytes * 8 - n;
        boolean stray = unused > 0 && (sparse[HEADER_BYTES + maskBytes - 1] & 0xff) >>> (8 - unused) != 0;
        if (set != k || stray) {
            throw damaged(entry, "has " + set + " bits set in its mask" + (stray ? ", some beyond its " + n
                    + " values," : "") + " but says " + k + " nonzero values");
        }
        ByteBuffer values = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        values.position(maskBytes);
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            boolean nonzero = (sparse[HEADER_BYTES + (i >>> 3)] & (1 << (i & 7))) != 0;
            out.putFloat(nonzero ? values.getFloat() : 0f);
        }
        return out.array();
    }

    /**
     * Puts the dense form of each sparse entry of a checkpoint beside it, so that a pruned
     * checkpoint is then checked and loaded like any other. An archive that has both forms of an
     * entry keeps its dense one.
     *
     * @param entries the archive's entries by name, changed in place
     * @throws IllegalArgumentException naming the entry when a sparse entry is damaged
     */
    public static void expandInto(Map<String, byte[]> entries) {
        for (String dense : DENSE_ENTRIES) {
            String sparse = sparseName(dense);
            if (entries.containsKey(sparse) && !entries.containsKey(dense)) {
                entries.put(dense, decode(sparse, entries.get(sparse)));
            }
        }
    }

    /**
     * The sparse entry that stands for a dense one.
     *
     * @param dense for example {@code parameters.bin}
     * @return for example {@code parameters.sparse}
     */
    public static String sparseName(String dense) {
        return dense.substring(0, dense.length() - DENSE_SUFFIX.length()) + SUFFIX;
    }

    private static IllegalArgumentException damaged(String entry, String what) {
        return new IllegalArgumentException(entry + " " + what + "; the file is truncated or corrupt.");
    }
}
