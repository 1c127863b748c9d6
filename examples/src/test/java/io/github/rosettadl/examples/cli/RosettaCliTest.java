package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;


class RosettaCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void linearRegressionPrintsTheStepLogThenWeightBiasAndMse() {
        CliRun run = run("linear-regression", "--preset", "converging", "--device", "cpu", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("== converging settings"), run.out());
        assertTrue(run.out().contains("Step 900, Loss: "), run.out());
        assertTrue(run.out().contains("W: 3.0"), run.out());
        assertTrue(run.out().contains("Test MSE: "), run.out());
        assertTrue(run.out().contains("recovered W and b to within 0.01"), run.out());
    }

    @Test
    void gpuOnAMachineWithoutOneExitsWithTwoAndAShortExplanation() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        CliRun run = run("linear-regression", "--device", "gpu", "--steps", "1");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().startsWith("Error: Device 'gpu' was requested"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        CliRun run = run("linear-regression", "--device", "gpu", "--verbose");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    @Test
    void anUnparseableDeviceNamesTheValueAndTheValidForms() {
        CliRun run = run("linear-regression", "--device", "tpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("'tpu'"), run.err());
        assertTrue(run.err().contains("auto, cpu, gpu, gpu:N"), run.err());
    }

    @Test
    void nonPositiveNumbersAreRejectedWithTheFlagName() {
        CliRun steps = run("linear-regression", "--steps", "0");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, steps.exitCode());
        assertTrue(steps.err().contains("--steps must be a positive number, got 0"), steps.err());
        CliRun lr = run("linear-regression", "--lr", "-0.5");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, lr.exitCode());
        assertTrue(lr.err().contains("--lr must be a positive number"), lr.err());
    }

    @Test
    void noArgumentsMeansTheMainJobTheSeedsSimpleCnnOnMnist() {
        CommandLine.ParseResult parsed = RosettaCli.newCommandLine().parseArgs(RosettaCli.orMainJob(new String[0]));
        CommandLine.ParseResult train = parsed.subcommand();
        assertEquals("train", train.commandSpec().name());
        TrainCommand command = (TrainCommand) train.commandSpec().userObject();
        assertEquals("simple-cnn", command.model);
        assertEquals(null, command.dataset, "no --dataset means MNIST");
        assertEquals(ModelChoice.SIMPLE_CNN.seedConfig(), ModelChoice.fromName(command.model).seedConfig());
        assertEquals(10, ModelChoice.SIMPLE_CNN.seedConfig().epochs());
        assertEquals(64, ModelChoice.SIMPLE_CNN.seedConfig().batchSize());
    }

    @Test
    void anUnknownCommandExitsWithTwo() {
        CliRun run = run("no-such-command");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("no-such-command"), run.err());
    }
}
