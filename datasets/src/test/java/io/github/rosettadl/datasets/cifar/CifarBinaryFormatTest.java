package io.github.rosettadl.datasets.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.testing.Fixtures;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/** Records of 3,073 bytes, labels 0 to 9, and the class-name file with its trailing blank line. */
class CifarBinaryFormatTest {

    @Test
    void splitsRecordsIntoLabelsAndPixels() throws IOException {
        byte[] file = Fixtures.cifarBatch(0, 6, 9, 0);
        byte[] labels = new byte[5];
        byte[] pixels = new byte[5 * 3072];

        int count = read(file, "b.bin", labels, pixels, 2);

        assertEquals(3, count);
        assertArrayEquals(new byte[] {0, 0, 6, 9, 0}, labels);
        // record 1 lands at image 3; its pixel p is 3 * 1 + p
        assertEquals((byte) (3 + 1000), pixels[3 * 3072 + 1000]);
        assertEquals(0, pixels[1 * 3072 + 5]);
    }

    @Test
    void sizeNotAMultipleOfTheRecordIsRefused() {
        byte[] file = Fixtures.head(Fixtures.cifarBatch(0, 1, 2), 3073 + 100);

        DatasetException e = assertThrows(DatasetException.class,
                () -> read(file, "data_batch_1.bin", new byte[2], new byte[2 * 3072], 0));

        assertTrue(e.getMessage().startsWith("data_batch_1.bin has 3173 bytes, which is not a whole number of 3073-byte"),
                e.getMessage());
        assertThrows(DatasetException.class, () -> CifarBinaryFormat.recordCount(0, "empty.bin"));
    }

    @Test
    void labelAboveNineIsRefused() {
        byte[] file = Fixtures.cifarBatch(0, 1, 10, 2);

        DatasetException e = assertThrows(DatasetException.class,
                () -> read(file, "data_batch_2.bin", new byte[3], new byte[3 * 3072], 0));

        assertTrue(e.getMessage().startsWith("data_batch_2.bin: record 1 has label 10, but CIFAR-10 labels are 0 to 9"),
                e.getMessage());
    }

    @Test
    void labelAbove127IsReadUnsigned() {
        byte[] file = Fixtures.cifarBatch(0, 200);
        DatasetException e = assertThrows(DatasetException.class,
                () -> read(file, "b.bin", new byte[1], new byte[3072], 0));
        assertTrue(e.getMessage().contains("has label 200"), e.getMessage());
    }

    @Test
    void fileShorterThanItsSizeSaidIsRefused() {
        byte[] file = Fixtures.cifarBatch(0, 1, 2);
        DatasetException e = assertThrows(DatasetException.class, () -> CifarBinaryFormat.read(
                new ByteArrayInputStream(Fixtures.head(file, 4000)), file.length, "b.bin", 10, new byte[2],
                new byte[2 * 3072], 0));
        assertTrue(e.getMessage().startsWith("b.bin ended inside record 1 of 2"), e.getMessage());
    }

    private static int read(byte[] file, String source, byte[] labels, byte[] pixels, int first) throws IOException {
        return CifarBinaryFormat.read(new ByteArrayInputStream(file), file.length, source, 10, labels, pixels, first);
    }

    @Test
    void classNamesSkipBlankLines() {
        String meta = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";
        List<String> names = CifarBinaryFormat.classNames(meta, "batches.meta.txt", 10);
        assertEquals(10, names.size());
        assertEquals("airplane", names.get(0));
        assertEquals("truck", names.get(9));
        assertEquals(names, CifarBinaryFormat.classNames(meta.replace("\n", "\r\n"), "batches.meta.txt", 10));
    }

    @Test
    void wrongNumberOfClassNamesIsRefused() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> CifarBinaryFormat.classNames("a\nb\n\n", "batches.meta.txt", 10));
        assertTrue(e.getMessage().startsWith("batches.meta.txt lists 2 class names, [a, b]; CIFAR-10 has 10"),
                e.getMessage());
    }
}
