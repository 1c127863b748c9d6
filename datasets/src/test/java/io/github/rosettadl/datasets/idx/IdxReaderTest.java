package io.github.rosettadl.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.testing.Fixtures;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** The IDX header checks: magic, type, rank, dimensions and exact payload length. */
class IdxReaderTest {

    private static IdxArray read(byte[] bytes, int rank) throws IOException {
        return IdxReader.read(new ByteArrayInputStream(bytes), "test.idx", rank);
    }

    private static String failure(byte[] bytes, int rank) {
        return assertThrows(DatasetException.class, () -> read(bytes, rank)).getMessage();
    }

    @Test
    void readsImages() throws IOException {
        IdxArray images = read(Fixtures.idxImages(3, 4, 5), 3);

        assertArrayEquals(new int[] {3, 4, 5}, images.dims());
        assertEquals(3, images.count());
        assertEquals(60, images.data().length);
        // pixel p of image i is 7i + p
        assertEquals(7 * 2 + 13, images.data()[2 * 20 + 13]);
    }

    @Test
    void readsLabels() throws IOException {
        IdxArray labels = read(Fixtures.idxLabels(5, 0, 9), 1);
        assertArrayEquals(new byte[] {5, 0, 9}, labels.data());
    }

    @Test
    void labelsFileWhereImagesBelongHasTheWrongMagic() {
        String message = failure(Fixtures.idxLabels(1, 2), 3);
        assertTrue(message.startsWith("test.idx has the wrong IDX magic number 0x00000801; expected 0x00000803"),
                message);
    }

    @Test
    void signedByteTypeIsRefused() {
        byte[] bytes = Fixtures.idxLabels(1, 2);
        bytes[2] = 0x09;
        assertTrue(failure(bytes, 1).contains("wrong IDX magic number 0x00000901"));
    }

    @Test
    void htmlErrorPageIsRefused() {
        assertTrue(failure("<html><body>403</body></html>".getBytes(), 3).contains("wrong IDX magic number 0x3C68746D"));
    }

    @Test
    void zeroDimensionIsRefused() {
        byte[] bytes = ByteBuffer.allocate(16).putInt(0x803).putInt(2).putInt(0).putInt(5).array();
        assertTrue(failure(bytes, 3).contains("declares dimension 1 as 0"));
    }

    @Test
    void truncatedPayloadIsRefused() {
        byte[] whole = Fixtures.idxImages(3, 4, 5);
        String message = failure(Arrays.copyOf(whole, whole.length - 7), 3);
        assertTrue(message.startsWith("test.idx is truncated: its header declares [3, 4, 5] = 60 bytes of data but"
                + " only 53 follow"), message);
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] whole = Fixtures.idxImages(3, 4, 5);
        assertTrue(failure(Arrays.copyOf(whole, whole.length + 1), 3).contains("has bytes after the 60"));
    }

    @Test
    void shortHeaderIsRefused() {
        assertTrue(failure(new byte[] {0, 0}, 1).contains("too short to be an IDX file"));
        assertTrue(failure(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, 3).contains("ends inside its IDX header"));
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeAllocating() {
        byte[] bytes = ByteBuffer.allocate(16).putInt(0x803).putInt(100_000).putInt(100_000).putInt(100).array();
        assertTrue(failure(bytes, 3).contains("more than a Java array holds"));
    }
}
