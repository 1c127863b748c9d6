package io.github.rosettadl.datasets.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One-pass reading with checksums: gzipped, raw, recompressed, corrupt, truncated and mislabelled files. */
class VerifiedFileReaderTest {

    @TempDir
    Path dir;

    private final byte[] content = Fixtures.idxImages(20, 6, 5);
    private final byte[] published = Fixtures.gzip(content, 9);
    private final PublishedFile expected = new PublishedFile("images-idx3-ubyte.gz", Md5.of(published), Md5.of(content));

    private byte[] read(Path file) {
        return VerifiedFileReader.read(file, expected, in -> in.readAllBytes());
    }

    @Test
    void readsThePublishedGzip() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), published);
        assertArrayEquals(content, read(file));
    }

    @Test
    void readsTheRawFile() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte"), content);
        assertArrayEquals(content, read(file));
    }

    @Test
    void acceptsARecompressedCopyByItsContent() throws IOException {
        byte[] recompressed = Fixtures.gzip(content, 1);
        assertNotEquals(Md5.of(published), Md5.of(recompressed));
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), recompressed);

        assertArrayEquals(content, read(file));
    }

    @Test
    void readsGzipDataUnderARawName() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte"), published);
        assertArrayEquals(content, read(file));
    }

    @Test
    void parserNeedNotReadToTheEnd() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), published);
        byte[] head = VerifiedFileReader.read(file, expected, in -> in.readNBytes(4));
        assertArrayEquals(Fixtures.head(content, 4), head);
    }

    @Test
    void checksumMismatchNamesTheFileAndBothChecksums() throws IOException {
        byte[] changed = content.clone();
        changed[100] ^= 1;
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), Fixtures.gzip(changed, 9));

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith(file + " failed its checksum: md5 "), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + expected.md5() + " (content " + expected.contentMd5() + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Delete it"), e.getMessage());
    }

    @Test
    void truncatedGzipSaysTruncated() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), Fixtures.head(published, published.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith(file + " is truncated"), e.getMessage());
    }

    @Test
    void gzipMissingOnlyItsTrailerSaysTruncated() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), Fixtures.head(published, published.length - 4));

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith(file + " is truncated"), e.getMessage());
    }

    @Test
    void nonGzipFileNamedGzIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("images-idx3-ubyte.gz"), "<html>403 Forbidden</html>");

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith(file + " is named .gz but is not gzip-compressed"), e.getMessage());
        assertTrue(e.getMessage().contains("rename it to images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void corruptDeflateDataIsReported() throws IOException {
        byte[] corrupt = published.clone();
        for (int i = 20; i < 60; i++) {
            corrupt[i] = (byte) 0xFF;
        }
        Path file = Files.write(dir.resolve("images-idx3-ubyte.gz"), corrupt);

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void missingFileSaysWhatToPutThere() {
        Path file = dir.resolve("images-idx3-ubyte.gz");

        DatasetException e = assertThrows(DatasetException.class, () -> read(file));

        assertTrue(e.getMessage().startsWith("missing file " + file + ": put the published images-idx3-ubyte.gz"),
                e.getMessage());
    }

    @Test
    void md5OfAFileMatchesMd5OfItsBytes() throws IOException {
        Path file = Files.write(dir.resolve("x"), content);
        org.junit.jupiter.api.Assertions.assertEquals(Md5.of(content), Md5.of(file));
        // md5 of the empty input, as every md5 tool prints it
        org.junit.jupiter.api.Assertions.assertEquals("d41d8cd98f00b204e9800998ecf8427e", Md5.of(new byte[0]));
    }
}
