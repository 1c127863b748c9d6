package io.github.rosettadl.datasets.cifar;

import io.github.rosettadl.datasets.DatasetException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary version of CIFAR-10: records of one label byte followed by 3,072 pixel bytes (the
 * 1,024 red, then green, then blue values of a 32x32 image, rows first), and a
 * {@code batches.meta.txt} with one class name a line.
 */
public final class CifarBinaryFormat {

    /** Pixel bytes per image: 3 channels of 32x32. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    /** Bytes per record: the label, then the pixels. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private CifarBinaryFormat() {
    }

    /**
     * Checks that a file of this size can hold whole records.
     *
     * @param size the file size in bytes
     * @param source the file name, for messages
     * @return the number of records
     * @throws DatasetException if the size is zero or not a multiple of {@value #RECORD_BYTES}
     */
    public static int recordCount(long size, String source) {
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new DatasetException(source + " has " + size + " bytes, which is not a whole number of "
                    + RECORD_BYTES + "-byte CIFAR-10 records: it is truncated or not a CIFAR-10 binary batch."
                    + " Replace it with the file from the published cifar-10-binary.tar.gz.");
        }
        long count = size / RECORD_BYTES;
        if (count > Integer.MAX_VALUE / IMAGE_BYTES) {
            throw new DatasetException(source + " has " + count + " records, more than this loader holds in memory.");
        }
        return (int) count;
    }

    /**
     * Reads the records of one file straight into the combined label and pixel arrays, checking
     * every label.
     *
     * @param in the file's bytes
     * @param size the file's size, from which the record count follows
     * @param source the file name, for messages
     * @param numClasses labels must be below this
     * @param labels where the labels go, starting at {@code first}
     * @param pixels where the pixels go, starting at image {@code first}
     * @param first the index of this file's first record in the combined arrays
     * @return the number of records read
     * @throws IOException if reading fails
     * @throws DatasetException for a bad size, a file shorter than its size, or a label of
     *     {@code numClasses} or more
     */
    public static int read(InputStream in, long size, String source, int numClasses, byte[] labels, byte[] pixels,
            int first) throws IOException {
        int count = recordCount(size, source);
        for (int r = 0; r < count; r++) {
            int label = in.read();
            int got = label < 0 ? 0 : in.readNBytes(pixels, (first + r) * IMAGE_BYTES, IMAGE_BYTES);
            if (got < IMAGE_BYTES) {
                throw new DatasetException(source + " ended inside record " + r + " of " + count
                        + ": it was cut short while being read. Replace it with the file from the published"
                        + " cifar-10-binary.tar.gz.");
            }
            if (label >= numClasses) {
                throw new DatasetException(source + ": record " + r + " has label " + label + ", but CIFAR-10"
                        + " labels are 0 to " + (numClasses - 1) + ". The file is corrupt or not a CIFAR-10"
                        + " batch: replace it with the one from the published cifar-10-binary.tar.gz.");
            }
            labels[first + r] = (byte) label;
        }
        return count;
    }

    /**
     * Reads the class names from {@code batches.meta.txt}, skipping blank lines (the published
     * file ends with one).
     *
     * @param text the file's content
     * @param source the file name, for messages
     * @param expected how many names there must be
     * @return the names, in label order
     * @throws DatasetException if the number of names is wrong
     */
    public static List<String> classNames(String text, String source, int expected) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        if (names.size() != expected) {
            throw new DatasetException(source + " lists " + names.size() + " class names, " + names
                    + "; CIFAR-10 has " + expected + ". Replace it with the published batches.meta.txt.");
        }
        return List.copyOf(names);
    }
}
