package io.github.rosettadl.datasets.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Small data files that the tests write for themselves: IDX, CIFAR batches, gzip and tar. */
public final class Fixtures {

    private Fixtures() {
    }

    /** An IDX image file: magic 0x00000803, dims (n, h, w), pixel p of image i = (7i + p) mod 256. */
    public static byte[] idxImages(int n, int h, int w) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + n * h * w);
        buffer.putInt(0x00000803).putInt(n).putInt(h).putInt(w);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                buffer.put((byte) (7 * i + p));
            }
        }
        return buffer.array();
    }

    /** An IDX label file: magic 0x00000801, dims (n). */
    public static byte[] idxLabels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
        buffer.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }

    /** A CIFAR-10 binary batch: one record per label, pixel p of record r = (3r + p) mod 256. */
    public static byte[] cifarBatch(int firstRecord, int... labels) {
        byte[] out = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            out[r * 3073] = (byte) labels[r];
            for (int p = 0; p < 3072; p++) {
                out[r * 3073 + 1 + p] = (byte) (3 * (firstRecord + r) + p);
            }
        }
        return out;
    }

    /** Gzip at a given level (1 to 9): the same content at two levels gives two different files. */
    public static byte[] gzip(byte[] data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(level);
        try (OutputStream gz = new GzipCompressorOutputStream(out, parameters)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first {@code n} bytes. */
    public static byte[] head(byte[] data, int n) {
        return Arrays.copyOf(data, n);
    }

    /** One entry of a test archive. */
    public record Entry(String name, byte type, String linkName, byte[] content) {

        /** A regular file. */
        public static Entry file(String name, byte[] content) {
            return new Entry(name, TarConstants.LF_NORMAL, null, content);
        }

        /** A folder. */
        public static Entry folder(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, null, null);
        }

        /** A symbolic link. */
        public static Entry symlink(String name, String target) {
            return new Entry(name, TarConstants.LF_SYMLINK, target, null);
        }

        /** A hard link to another entry. */
        public static Entry hardLink(String name, String target) {
            return new Entry(name, TarConstants.LF_LINK, target, null);
        }

        /** A character device. */
        public static Entry device(String name) {
            return new Entry(name, TarConstants.LF_CHR, null, null);
        }
    }

    /** A tar archive, names kept exactly as given (absolute ones too). */
    public static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.linkName() != null) {
                    entry.setLinkName(e.linkName());
                }
                if (e.content() != null) {
                    entry.setSize(e.content().length);
                }
                tar.putArchiveEntry(entry);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzipped tar archive. */
    public static byte[] tarGz(List<Entry> entries) {
        return gzip(tar(entries), 6);
    }
}
