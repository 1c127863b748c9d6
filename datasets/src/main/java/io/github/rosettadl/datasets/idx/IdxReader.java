package io.github.rosettadl.datasets.idx;

import io.github.rosettadl.datasets.DatasetException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the IDX format that MNIST and Fashion-MNIST are published in: a 4-byte magic
 * {@code 00 00 TYPE RANK}, then RANK big-endian int32 dimensions, then the items. Only unsigned
 * bytes (type {@code 0x08}) are accepted, and the payload must be exactly as long as the
 * dimensions say.
 */
public final class IdxReader {

    /** The IDX type code for unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** The magic number of a rank-3 unsigned-byte file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of a rank-1 unsigned-byte file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Reads one IDX file of the given rank.
     *
     * @param in the decompressed bytes, positioned at the magic number
     * @param source the file name, for messages
     * @param rank the rank the file must have: 3 for images, 1 for labels
     * @return the dimensions and items
     * @throws IOException if reading fails
     * @throws DatasetException for a wrong magic number, a non-positive dimension, a payload shorter
     *     or longer than the dimensions say
     */
    public static IdxArray read(InputStream in, String source, int rank) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int expectedMagic = (UNSIGNED_BYTE << 8) | rank;
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new DatasetException(source + " is too short to be an IDX file (fewer than 4 bytes)."
                    + " Replace it with the published file.", e);
        }
        if (magic != expectedMagic) {
            throw new DatasetException(String.format(
                    "%s has the wrong IDX magic number 0x%08X; expected 0x%08X (%s, unsigned bytes)."
                            + " It is not an MNIST-format %s file: replace it with the published one.",
                    source, magic, expectedMagic, rank == 1 ? "labels" : "rank-" + rank + " images",
                    rank == 1 ? "labels" : "images"));
        }
        int[] dims = new int[rank];
        long items = 1;
        for (int d = 0; d < rank; d++) {
            try {
                dims[d] = data.readInt();
            } catch (EOFException e) {
                throw new DatasetException(source + " ends inside its IDX header. Replace it with the"
                        + " published file.", e);
            }
            if (dims[d] <= 0) {
                throw new DatasetException(source + " declares dimension " + d + " as " + dims[d]
                        + "; IDX dimensions must be positive. Replace it with the published file.");
            }
            items *= dims[d];
        }
        if (items > Integer.MAX_VALUE - 16) {
            throw new DatasetException(source + " declares " + Arrays.toString(dims) + " = " + items
                    + " items, more than a Java array holds. Replace it with the published file.");
        }
        // read straight into the final array: the inflater then writes each byte exactly once
        byte[] payload = new byte[(int) items];
        int read = in.readNBytes(payload, 0, payload.length);
        if (read < items) {
            throw new DatasetException(source + " is truncated: its header declares " + Arrays.toString(dims)
                    + " = " + items + " bytes of data but only " + read + " follow."
                    + " Replace it with the complete published file.");
        }
        if (in.read() != -1) {
            throw new DatasetException(source + " has bytes after the " + items + " its header "
                    + Arrays.toString(dims) + " declares. Replace it with the published file.");
        }
        return new IdxArray(dims, payload);
    }
}
