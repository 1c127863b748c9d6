package io.github.rosettadl.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;

import io.github.rosettadl.datasets.image.EpochOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Keras-style next-character sequences on the real engine. */
class SequenceBatchesTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void release() {
        manager.close();
    }

    @Test
    void sequencesStartEveryStepAndPredictTheNextCharacter() {
        // Keras: for i in range(0, len(text) - maxlen, step): text[i:i+maxlen] -> text[i+maxlen]
        TextCorpus corpus = TextCorpus.of("abcdefghijklmnopqrstuvwxyz", "alphabet");
        SequenceBatches sequences = corpus.sequences(5, 3, 4, 11, 0);
        assertEquals(7, sequences.size());
        assertEquals(2, sequences.numBatches());

        int[] order = EpochOrder.shuffled(7, 11, 0);
        List<Integer> sizes = new ArrayList<>();
        int k = 0;
        for (Batch batch : sequences.epoch(manager, 0)) {
            try (batch) {
                NDArray x = batch.getData().singletonOrThrow();
                NDArray y = batch.getLabels().singletonOrThrow();
                int n = batch.getSize();
                sizes.add(n);
                assertEquals(new Shape(n, 5), x.getShape());
                assertEquals(DataType.INT64, x.getDataType());
                assertEquals(new Shape(n), y.getShape());
                assertEquals(DataType.INT64, y.getDataType());
                long[] chars = x.toLongArray();
                long[] next = y.toLongArray();
                for (int j = 0; j < n; j++, k++) {
                    int start = order[k] * 3;
                    for (int t = 0; t < 5; t++) {
                        assertEquals(start + t, chars[j * 5 + t]);
                    }
                    assertEquals(start + 5, next[j]);
                }
            }
        }
        assertEquals(List.of(4, 3), sizes);
        assertEquals(7, k);
    }

    @Test
    void bundledTextWithTheKerasDefaults() {
        TextCorpus corpus = TextCorpus.bundled();
        SequenceBatches sequences = corpus.sequences(40, 3, 128, 1, 0);
        assertEquals((corpus.length() - 40 + 2) / 3, sequences.size());

        try (Batch batch = sequences.epoch(manager, 0).iterator().next()) {
            long[] chars = batch.getData().singletonOrThrow().toLongArray();
            long[] next = batch.getLabels().singletonOrThrow().toLongArray();
            long index = ((Number) batch.getIndices().get(0)).longValue();
            int[] window = new int[40];
            for (int t = 0; t < 40; t++) {
                window[t] = (int) chars[t];
            }
            assertEquals(corpus.text().substring((int) index * 3, (int) index * 3 + 40), corpus.decode(window));
            assertEquals(String.valueOf(corpus.text().charAt((int) index * 3 + 40)), corpus.characterAt((int) next[0]));
        }
    }

    @Test
    void limitKeepsTheFirstSequencesAndEpochsFollowTheSeed() {
        SequenceBatches limited = TextCorpus.bundled().sequences(40, 3, 16, 9, 100);
        assertEquals(100, limited.size());
        List<Long> epoch0 = indices(limited.getData(manager));
        List<Long> epoch1 = indices(limited.getData(manager));
        assertEquals(100, epoch0.stream().distinct().count());
        assertTrue(epoch0.stream().allMatch(i -> i < 100));
        assertNotEquals(epoch0, epoch1);
        // a fresh object, as after a restart
        assertEquals(epoch1, indices(TextCorpus.bundled().sequences(40, 3, 16, 9, 100).epoch(manager, 1)));
    }

    @Test
    void earlierBatchesStayIntactAndNothingLeaks() {
        SequenceBatches sequences = TextCorpus.bundled().sequences(40, 3, 64, 2, 640);
        Iterator<Batch> epoch = sequences.epoch(manager, 0).iterator();
        try (Batch first = epoch.next()) {
            long[] before = first.getData().singletonOrThrow().toLongArray();
            while (epoch.hasNext()) {
                epoch.next().close();
            }
            assertArrayEquals(before, first.getData().singletonOrThrow().toLongArray());
        }
        assertEquals(List.of(), manager.getManagedArrays());
    }

    @Test
    void singleRecord() {
        TextCorpus corpus = TextCorpus.of("abcdefghij", "t");
        SequenceBatches sequences = corpus.sequences(4, 2, 2, 0, 0);
        try (NDManager sub = manager.newSubManager()) {
            Record record = sequences.get(sub, 2);
            assertArrayEquals(new long[] {4, 5, 6, 7}, record.getData().singletonOrThrow().toLongArray());
            assertEquals(8L, record.getLabels().singletonOrThrow().getLong());
        }
    }

    @Test
    void tooShortTextAndBadSizesAreRefused() {
        TextCorpus corpus = TextCorpus.of("abcde", "short.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> corpus.sequences(5, 1, 1, 0, 0));
        assertEquals("short.txt has 5 characters; sequences of 5 need at least 6 (one more for the label)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> corpus.sequences(2, 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> corpus.sequences(2, 1, 0, 0, 0));
        assertEquals(1, corpus.sequences(4, 1, 8, 0, 0).size());
    }

    private List<Long> indices(Iterable<Batch> epoch) {
        List<Long> out = new ArrayList<>();
        for (Batch batch : epoch) {
            try (batch) {
                batch.getIndices().forEach(i -> out.add(((Number) i).longValue()));
            }
        }
        return out;
    }
}
