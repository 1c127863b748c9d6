package io.github.rosettadl.core.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Parameter;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which weights magnitude pruning removes, globally, per layer and step by step. */
class MagnitudePruningTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static Model model() {
        return new SimpleCNN.Spec(SHAPE, 4).newModel(Device.cpu());
    }

    @Test
    void globalPruningRemovesTheSmallestWeightsAcrossLayersAndLeavesBiasesAlone() {
        try (Model model = model()) {
            SeedModel block = (SeedModel) model.getBlock();
            Map<String, float[]> before = values(block);
            PruningMask mask = MagnitudePruning.prune(block, 0.6, PruningScope.GLOBAL, PruningMask.keepAll(block));
            Map<String, float[]> after = values(block);

            long prunable = 0;
            long zeros = 0;
            float largestRemoved = 0;
            float smallestKept = Float.MAX_VALUE;
            for (Map.Entry<String, Parameter> p : block.namedParameters().entrySet()) {
                float[] was = before.get(p.getKey());
                float[] now = after.get(p.getKey());
                if (p.getValue().getArray().getShape().dimension() < 2) {
                    assertEquals(List.of(), differences(was, now), p.getKey() + " (a bias) is not pruned");
                    continue;
                }
                prunable += was.length;
                for (int i = 0; i < was.length; i++) {
                    if (now[i] == 0f) {
                        zeros++;
                        largestRemoved = Math.max(largestRemoved, Math.abs(was[i]));
                    } else {
                        assertEquals(was[i], now[i], "a kept weight keeps its value");
                        smallestKept = Math.min(smallestKept, Math.abs(was[i]));
                    }
                }
            }
            assertEquals(Math.round(0.6 * prunable), zeros, "exactly the asked fraction of the prunable weights");
            assertEquals(zeros, mask.removed());
            assertEquals(0.6, mask.sparsity(), 1e-4);
            assertTrue(largestRemoved <= smallestKept, largestRemoved + " removed, " + smallestKept + " kept");
            List<String> names = mask.layers().stream().map(PruningMask.Layer::name).toList();
            assertEquals(List.of("conv1.weight", "fc1.weight", "fc2.weight"), names);
            // one threshold: the layers end up with different sparsities
            assertFalse(mask.layers().stream().allMatch(l -> Math.abs(l.sparsity() - 0.6) < 1e-3), mask.layers()
                    .toString());
        }
    }

    @Test
    void layerPruningGivesEveryLayerTheTargetSparsity() {
        try (Model model = model()) {
            SeedModel block = (SeedModel) model.getBlock();
            PruningMask mask = MagnitudePruning.prune(block, 0.75, PruningScope.LAYER, PruningMask.keepAll(block));
            for (PruningMask.Layer l : mask.layers()) {
                assertEquals(Math.round(0.75 * l.size()), l.removed(), l.toString());
                float[] now = block.namedParameters().get(l.name()).getArray().toFloatArray();
                assertEquals(l.removed(), countZeros(now), l.name());
            }
        }
    }

    @Test
    void aLaterStepKeepsWhatAnEarlierStepRemoved() {
        try (Model model = model()) {
            SeedModel block = (SeedModel) model.getBlock();
            PruningMask first = MagnitudePruning.prune(block, 0.5, PruningScope.GLOBAL, PruningMask.keepAll(block));
            // move the surviving weights so that magnitudes change between steps, as fine-tuning does
            for (PruningMask.Layer l : first.layers()) {
                block.namedParameters().get(l.name()).getArray().muli(0.01f);
            }
            PruningMask second = MagnitudePruning.prune(block, 0.8, PruningScope.GLOBAL, first);
            for (int i = 0; i < first.size(); i++) {
                if (!first.keeps(i)) {
                    assertFalse(second.keeps(i), "value " + i + " came back");
                }
            }
            assertEquals(0.8, second.sparsity(), 1e-4);
            assertThrows(IllegalArgumentException.class,
                    () -> MagnitudePruning.prune(block, 0.3, PruningScope.GLOBAL, second));
        }
    }

    @Test
    void theScheduleRemovesTheSameFractionOfWhatIsLeftAtEachStep() {
        double[] steps = MagnitudePruning.schedule(0.992, 3);
        assertEquals(0.8, steps[0], 1e-9);
        assertEquals(0.96, steps[1], 1e-9);
        assertEquals(0.992, steps[2], 0);
        assertEquals(0.9, MagnitudePruning.schedule(0.9, 1)[0], 0);
        assertThrows(IllegalArgumentException.class, () -> MagnitudePruning.schedule(0.9, 0));
    }

    @Test
    void aSparsityOutsideZeroToOneIsRefused() {
        try (Model model = model()) {
            SeedModel block = (SeedModel) model.getBlock();
            for (double bad : new double[] {-0.1, 1.0, 90, Double.NaN}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> MagnitudePruning.prune(block, bad, PruningScope.GLOBAL, PruningMask.keepAll(block)));
                assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            }
        }
    }

    static Map<String, float[]> values(SeedModel block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        block.namedParameters().forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }

    static int countZeros(float[] values) {
        int zeros = 0;
        for (float v : values) {
            zeros += v == 0f ? 1 : 0;
        }
        return zeros;
    }

    private static List<Integer> differences(float[] a, float[] b) {
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (Float.compare(a[i], b[i]) != 0) {
                differ.add(i);
            }
        }
        return differ;
    }
}
