package io.github.rosettadl.core.checkpoint;

import io.github.rosettadl.core.io.AtomicFile;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip file every checkpoint is, written the one way: atomically, {@code .bin} entries (raw
 * float32 or int8 values) stored as they are, since such noise barely compresses, and every other
 * entry (JSON, sparse values) deflated. Shared by the plain, pruned and quantized checkpoints.
 */
public final class CheckpointZip {

    private CheckpointZip() {}

    /**
     * Writes the entries, in their order, to a new file that replaces {@code file} only once complete.
     *
     * @param file the checkpoint
     * @param entries entry name to bytes
     * @throws CheckpointException naming the file when it cannot be written
     */
    public static void write(Path file, Map<String, byte[]> entries) {
        try {
            AtomicFile.write(file, temp -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp));
                        ZipOutputStream zip = new ZipOutputStream(out)) {
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        zip.putNextEntry(entry(e.getKey(), e.getValue()));
                        zip.write(e.getValue());
                        zip.closeEntry();
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw new CheckpointException(file, "cannot be written: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Float arrays one after another as little-endian float32, the layout of every {@code .bin} entry.
     *
     * @param arrays the values
     * @return their bytes
     */
    public static byte[] littleEndian(List<float[]> arrays) {
        int count = arrays.stream().mapToInt(a -> a.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(count, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = buffer.asFloatBuffer();
        arrays.forEach(floats::put);
        return buffer.array();
    }

    private static ZipEntry entry(String name, byte[] bytes) {
        ZipEntry entry = new ZipEntry(name);
        if (name.endsWith(".bin")) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        return entry;
    }
}
