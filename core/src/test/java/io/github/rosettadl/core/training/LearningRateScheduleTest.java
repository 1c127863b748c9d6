package io.github.rosettadl.core.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schedules' rates, and the config's per-epoch rate. */
class LearningRateScheduleTest {

    @Test
    void constantKeepsTheRate() {
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertEquals(1e-3f, LearningRateSchedule.CONSTANT.rate(1e-3f, epoch, 10));
        }
    }

    @Test
    void cosineStartsAtTheRateHalvesMidwayAndFallsEveryEpoch() {
        assertEquals(0.1f, LearningRateSchedule.COSINE.rate(0.1f, 1, 10), 1e-7f);
        assertEquals(0.05f, LearningRateSchedule.COSINE.rate(0.1f, 6, 10), 1e-7f);
        // PyTorch's CosineAnnealingLR(T_max=10) at its 10th epoch: 0.1 * (1 + cos(0.9 pi)) / 2
        assertEquals(0.1 * (1 + Math.cos(0.9 * Math.PI)) / 2, LearningRateSchedule.COSINE.rate(0.1f, 10, 10), 1e-7);
        for (int epoch = 2; epoch <= 10; epoch++) {
            assertTrue(LearningRateSchedule.COSINE.rate(0.1f, epoch, 10)
                    < LearningRateSchedule.COSINE.rate(0.1f, epoch - 1, 10));
        }
    }

    @Test
    void configAppliesItsScheduleAndDefaultsToConstant() {
        TrainingConfig seed = TrainingConfig.adam(1e-3f).withEpochs(4);
        assertEquals(LearningRateSchedule.CONSTANT, seed.schedule());
        assertEquals(1e-3f, seed.learningRateAt(4));
        TrainingConfig cosine = seed.withSchedule(LearningRateSchedule.COSINE);
        assertEquals(5e-4f, cosine.learningRateAt(3), 1e-9f);
        assertEquals(LearningRateSchedule.CONSTANT, new TrainingConfig(OptimizerKind.SGD, 0.1f, 1, 8, 1,
                TrainingConfig.PYTORCH_ADAM_EPSILON, 0f, null).schedule(), "an old checkpoint has no schedule");
    }
}
