package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rosettadl.core.runtime.EngineThreads;

import org.junit.jupiter.api.Test;

/** The per-model thread defaults that docs/PERFORMANCE.md measured. */
class ModelChoiceTest {

    @Test
    void theMlpDefaultsToOneThreadAndTheOthersToEveryCore() {
        assertEquals(EngineThreads.of(1), ModelChoice.MLP.defaultThreads());
        for (ModelChoice model : ModelChoice.values()) {
            if (model != ModelChoice.MLP) {
                assertEquals(EngineThreads.defaults(), model.defaultThreads(), model.cliName());
            }
        }
    }
}
