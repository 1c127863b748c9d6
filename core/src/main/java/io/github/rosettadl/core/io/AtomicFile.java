package io.github.rosettadl.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a report file through a temporary sibling renamed into place: readers never see half a file. */
public final class AtomicFile {

    /** Fills a file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param file the temporary file to fill
         * @throws IOException when writing fails
         */
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Writes {@code target} atomically; on failure the temporary file is removed and the old target kept.
     *
     * @param target the file to create or replace
     * @param writer fills the temporary file
     * @throws StorageException naming the target when the machine refuses it: a full disk, a
     *     permission, a read-only file system, a missing folder
     * @throws UncheckedIOException naming the target when it cannot be written for another reason
     */
    public static void write(Path target, Writer writer) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            writer.writeTo(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException failure) {
            // libraries such as tablesaw wrap the disk's IOException in their own unchecked exception
            IOException e = ioCause(failure);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
            if (e == null) {
                throw (RuntimeException) failure;
            }
            if (StorageException.isEnvironment(e)) {
                throw StorageException.of("Cannot write " + target, e, "Free some space, make its folder writable,"
                        + " or write it elsewhere; the old " + target.getFileName() + ", if any, is kept.");
            }
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static IOException ioCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }
}
