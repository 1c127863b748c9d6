package io.github.rosettadl.datasets.files;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a data file in one pass, gzipped or not, while checking it against its published md5:
 * the md5 of the file as stored, or failing that the md5 of its decompressed content, so that a
 * recompressed copy with identical bytes inside is accepted. Whether a file is gzipped is read
 * from its first bytes, not from its name.
 */
public final class VerifiedFileReader {

    private static final int BUFFER = 1 << 16;
    private static final String REPLACE = "Delete it (it is downloaded again when allowed) or replace it "
            + "with an intact copy of the original file.";

    /**
     * Parses the decompressed bytes of a file.
     *
     * @param <T> what the parser makes
     */
    @FunctionalInterface
    public interface ContentParser<T> {
        /**
         * Parses the content; it need not read to the end.
         *
         * @param content the decompressed bytes
         * @return the parsed value
         * @throws IOException if reading fails
         */
        T parse(InputStream content) throws IOException;
    }

    private VerifiedFileReader() {
    }

    /**
     * Reads and verifies {@code file}.
     *
     * @param <T> what the parser makes
     * @param file the file, gzipped or not
     * @param expected the published name and checksums it must match
     * @param parser reads the decompressed content
     * @return what the parser made, after the checksum matched
     * @throws ChecksumMismatchException when the file is readable but fails its checksum
     * @throws DatasetException when the file is not valid gzip although named {@code .gz}, truncated
     *     or unparsable; the message names the file
     * @throws DatasetStorageException when the machine fails rather than the file: it vanished, may
     *     not be read, or the device reports an error
     */
    public static <T> T read(Path file, PublishedFile expected, ContentParser<T> parser) {
        MessageDigest fileDigest = Md5.newDigest();
        MessageDigest contentDigest = Md5.newDigest();
        T value;
        boolean gzipped;
        // the digest sits under the buffer so that peeking at the magic bytes counts them once
        try (InputStream raw = new BufferedInputStream(
                new DigestInputStream(Files.newInputStream(file), fileDigest), BUFFER)) {
            gzipped = startsWithGzipMagic(raw);
            if (!gzipped && file.getFileName().toString().endsWith(".gz")) {
                throw new DatasetException(file + " is named .gz but is not gzip-compressed. If it holds the "
                        + "raw bytes, rename it to " + expected.uncompressedName() + "; otherwise " + REPLACE);
            }
            // an uncompressed file is its own content: one digest suffices
            InputStream decompressed = gzipped ? new GZIPInputStream(raw, BUFFER) : raw;
            // closing it also frees the inflater's native memory at once
            try (InputStream content = gzipped ? new DigestInputStream(decompressed, contentDigest) : raw) {
                value = parser.parse(content);
                // the rest: trailing bytes (which the parser may reject), the gzip CRC, then anything after it
                content.transferTo(OutputStream.nullOutputStream());
                raw.transferTo(OutputStream.nullOutputStream());
            }
        } catch (NoSuchFileException e) {
            // callers read files they saw a moment ago: one missing now vanished, it is not corrupt
            throw new DatasetStorageException("missing file " + file + ": put the published " + expected.name()
                    + " (gzipped or not) there. If it was there a moment ago, something else removed or moved it"
                    + " while it was being read: run again once nothing else touches that folder.", e);
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated: its compressed data ends early ("
                    + e.getMessage() + "). " + REPLACE, e);
        } catch (ZipException e) {
            throw new DatasetException(file + " is not valid gzip data (" + e.getMessage() + "). " + REPLACE, e);
        } catch (IOException e) {
            if (FileSystemErrors.isEnvironment(e)) {
                throw FileSystemErrors.storage("Cannot read " + file, e, "The file itself may be intact: keep it.");
            }
            throw new DatasetException("could not read " + file + " (" + e + "). " + REPLACE, e);
        }
        String fileMd5 = Md5.hex(fileDigest);
        String contentMd5 = gzipped ? Md5.hex(contentDigest) : fileMd5;
        if (!expected.matches(fileMd5, contentMd5)) {
            throw new ChecksumMismatchException(file + " failed its checksum: md5 " + fileMd5 + " (content " + contentMd5
                    + "), expected " + expected.md5() + " (content " + expected.contentMd5() + ") for "
                    + expected.name() + ". It is corrupt or a different file. " + REPLACE);
        }
        return value;
    }

    /**
     * Checks {@code file} against its published checksums without keeping the bytes.
     *
     * @param file the file, gzipped or not
     * @param expected the published name and checksums
     * @throws DatasetException as {@link #read}
     */
    public static void verify(Path file, PublishedFile expected) {
        read(file, expected, content -> null);
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
