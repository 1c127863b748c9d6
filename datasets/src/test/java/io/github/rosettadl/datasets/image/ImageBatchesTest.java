package io.github.rosettadl.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;

import io.github.rosettadl.datasets.testing.TinyImages;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Batches on the real engine: shapes, types, values, order, normalisation and native memory. */
class ImageBatchesTest {

    private final ImageMetadata metadata = TinyImages.metadata(3, 2, 4, 5);
    private final ImageSplit split = TinyImages.split(metadata, 50);
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
    void batchesAreFloatNchwAndInt64WithTheLastPartialBatchKept() {
        ImageBatches batches = split.batches(16, false, 0, Normalization.DIVIDE_255);
        assertEquals(4, batches.numBatches());
        assertEquals(50, batches.size());
        assertEquals(50, batches.availableSize());

        List<Integer> sizes = new ArrayList<>();
        int image = 0;
        for (Batch batch : batches.epoch(manager, 0)) {
            try (batch) {
                NDArray x = batch.getData().singletonOrThrow();
                NDArray y = batch.getLabels().singletonOrThrow();
                int n = batch.getSize();
                sizes.add(n);
                assertEquals(new Shape(n, 3, 2, 4), x.getShape());
                assertEquals(DataType.FLOAT32, x.getDataType());
                assertEquals(Device.cpu(), x.getDevice());
                assertTrue(isContiguous(x), "data must be NCHW-contiguous");
                assertEquals(new Shape(n), y.getShape());
                assertEquals(DataType.INT64, y.getDataType());
                float[] values = x.toFloatArray();
                long[] labels = y.toLongArray();
                for (int k = 0; k < n; k++, image++) {
                    assertEquals(image % 5, labels[k]);
                    for (int p = 0; p < 24; p++) {
                        assertEquals(TinyImages.pixel(image, p) / 255f, values[k * 24 + p], 1e-6f);
                    }
                }
            }
        }
        assertEquals(List.of(16, 16, 16, 2), sizes);
        assertEquals(50, image);
    }

    @Test
    void shuffledEpochIsThePermutationOfSeedAndEpoch() {
        ImageBatches batches = split.batches(7, true, 99, Normalization.DIVIDE_255);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] expected = EpochOrder.shuffled(50, 99, epoch);
            int k = 0;
            for (Batch batch : batches.epoch(manager, epoch)) {
                try (batch) {
                    long[] labels = batch.getLabels().singletonOrThrow().toLongArray();
                    float[] values = batch.getData().singletonOrThrow().toFloatArray();
                    for (int j = 0; j < batch.getSize(); j++, k++) {
                        assertEquals((long) expected[k], ((Number) batch.getIndices().get(j)).longValue());
                        assertEquals(expected[k] % 5, labels[j]);
                        assertEquals(TinyImages.pixel(expected[k], 0) / 255f, values[j * 24], 1e-6f);
                    }
                }
            }
            assertEquals(50, k);
        }
    }

    @Test
    void getDataWalksEpochsZeroOneTwoLikeAResumedRun() {
        ImageBatches first = split.batches(8, true, 5, Normalization.DIVIDE_255);
        List<List<Long>> fromGetData = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            fromGetData.add(indices(first.getData(manager)));
        }
        // a fresh object, as after a restart, asked for epoch 2 directly
        ImageBatches resumed = split.batches(8, true, 5, Normalization.DIVIDE_255);
        assertEquals(fromGetData.get(2), indices(resumed.epoch(manager, 2)));
        assertEquals(fromGetData.get(0), indices(resumed.epoch(manager, 0)));
        assertNotEquals(fromGetData.get(0), fromGetData.get(1));
        assertNotEquals(fromGetData.get(1), fromGetData.get(2));
    }

    @Test
    void meanStdNormalisesPerChannel() {
        ImageBatches batches = split.batches(50, false, 0, Normalization.MEAN_STD);
        try (Batch batch = batches.epoch(manager, 0).iterator().next()) {
            float[] values = batch.getData().singletonOrThrow().toFloatArray();
            for (int image : new int[] {0, 17, 49}) {
                for (int p = 0; p < 24; p++) {
                    int channel = p / 8;
                    float expected = (TinyImages.pixel(image, p) / 255f - metadata.mean()[channel]) / metadata.std()[channel];
                    assertEquals(expected, values[image * 24 + p], 1e-5f);
                }
            }
        }
    }

    @Test
    void earlierBatchesStayIntactWhileLaterOnesAreBuilt() {
        ImageBatches batches = split.batches(10, false, 0, Normalization.DIVIDE_255);
        Iterator<Batch> epoch = batches.epoch(manager, 0).iterator();
        try (Batch first = epoch.next()) {
            float[] before = first.getData().singletonOrThrow().toFloatArray();
            long[] labelsBefore = first.getLabels().singletonOrThrow().toLongArray();
            while (epoch.hasNext()) {
                epoch.next().close();
            }
            assertArrayEquals(before, first.getData().singletonOrThrow().toFloatArray());
            assertArrayEquals(labelsBefore, first.getLabels().singletonOrThrow().toLongArray());
            assertEquals(0f, before[0]);
        }
    }

    @Test
    void closedBatchesLeaveNoArraysBehind() {
        ImageBatches batches = split.batches(8, true, 1, Normalization.MEAN_STD);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (Batch batch : batches.epoch(manager, epoch)) {
                batch.close();
            }
            assertEquals(List.of(), manager.getManagedArrays());
        }
    }

    @Test
    void singleRecordMatchesTheBatches() {
        ImageBatches batches = split.batches(8, false, 0, Normalization.DIVIDE_255);
        try (NDManager sub = manager.newSubManager()) {
            Record record = batches.get(sub, 13);
            NDArray image = record.getData().singletonOrThrow();
            assertEquals(new Shape(3, 2, 4), image.getShape());
            assertEquals(TinyImages.pixel(13, 5) / 255f, image.toFloatArray()[5], 1e-6f);
            NDArray label = record.getLabels().singletonOrThrow();
            assertEquals(new Shape(), label.getShape());
            assertEquals(3L, label.getLong());
        }
    }

    @Test
    void anEpochEndsAndBadSizesAreRefused() {
        ImageBatches batches = split.batches(64, false, 0, Normalization.DIVIDE_255);
        Iterator<Batch> epoch = batches.epoch(manager, 0).iterator();
        epoch.next().close();
        assertFalse(epoch.hasNext());
        assertThrows(java.util.NoSuchElementException.class, epoch::next);
        assertThrows(IllegalArgumentException.class, () -> split.batches(0, false, 0, Normalization.DIVIDE_255));
    }

    private List<Long> indices(Iterable<Batch> epoch) {
        List<Long> out = new ArrayList<>();
        for (Batch batch : epoch) {
            try (batch) {
                for (Object i : batch.getIndices()) {
                    out.add(((Number) i).longValue());
                }
            }
        }
        return out;
    }

    /** Asks libtorch itself; DJL does not expose contiguity, so this reaches its JNI binding. */
    static boolean isContiguous(NDArray array) {
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field lib = library.getDeclaredField("LIB");
            lib.setAccessible(true);
            Method isContiguous = library.getDeclaredMethod("torchIsContiguous", long.class);
            isContiguous.setAccessible(true);
            return (Boolean) isContiguous.invoke(lib.get(null), ((PtNDArray) array).getHandle());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot ask libtorch about contiguity", e);
        }
    }
}
