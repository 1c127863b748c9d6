package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.CheckpointException;
import io.github.rosettadl.core.io.StorageException;
import io.github.rosettadl.core.report.ReportIncompleteException;
import io.github.rosettadl.core.runtime.DeviceUnavailableException;
import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetUnavailableException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The command line: {@code rosetta <command> [flags]}. Bad input exits with code 2 and one line
 * that names the value and what would be valid; {@code --verbose} adds the stack trace.
 */
@Command(name = "rosetta", mixinStandardHelpOptions = true, version = "Rosetta DL 0.1.0",
        description = "Classic deep-learning examples, translated from Python to Java on DJL.",
        subcommands = {ListCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
            GenerateCommand.class, PruneCommand.class, QuantizeCommand.class, LinearRegressionCommand.class,
            ResultsCommand.class, BenchCommand.class, ConformanceCommand.class, ExportCommand.class,
            ImportCommand.class})
public final class RosettaCli {

    /** Exit code for input the user can fix: a bad flag, value, file, device, or a folder that cannot be written. */
    public static final int EXIT_BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors.")
    boolean verbose;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command and its flags
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            // DJL's start-up ping tries an EC2 metadata address, which stalls machines without a network
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (trains(args) && AllocatorRelaunch.wanted(System.getenv())) {
            try {
                System.exit(AllocatorRelaunch.relaunch(RosettaCli.class, args));
            } catch (IOException | InterruptedException e) {
                // a failed relaunch only costs speed: carry on in this process
                System.err.println("Could not restart with a tuned allocator (" + e.getMessage() + "); continuing.");
            }
        }
        System.exit(execute(args));
    }

    /**
     * The arguments to run: the given ones, or the main job when there are none.
     *
     * @param args the command line
     * @return {@code args}, or {@code train}, whose defaults are the PyTorch seed's SimpleCNN on MNIST
     */
    static String[] orMainJob(String[] args) {
        return args.length == 0 ? new String[] {"train"} : args;
    }

    /**
     * Puts a command and its fixed flags in front of a user's extra flags, for the example classes'
     * {@code main} methods.
     *
     * @param args the user's flags
     * @param prefix the command and the flags that select the example
     * @return the combined arguments
     */
    public static String[] withPrefix(String[] args, String... prefix) {
        String[] all = Arrays.copyOf(prefix, prefix.length + args.length);
        System.arraycopy(args, 0, all, prefix.length, args.length);
        return all;
    }

    private static boolean trains(String[] args) {
        return args.length == 0 || "train".equals(args[0]) || "results".equals(args[0]) || "bench".equals(args[0]);
    }

    /**
     * Runs the command line without exiting, for tests and other entry points.
     *
     * @param args the command and its flags
     * @return the exit code: 0 on success, 2 on bad input, 1 on any other failure
     */
    public static int execute(String... args) {
        return newCommandLine().execute(orMainJob(args));
    }

    /**
     * A configured command line whose output and error streams tests may replace.
     *
     * @return the command line
     */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new RosettaCli());
        cli.setParameterExceptionHandler(RosettaCli::onBadArguments);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean badInput = ex instanceof IllegalArgumentException
                    || ex instanceof DeviceUnavailableException
                    || ex instanceof DatasetException
                    || ex instanceof CheckpointException
                    || ex instanceof ReportIncompleteException
                    || ex instanceof StorageException;
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            String message = ex instanceof DatasetUnavailableException unavailable && !verbose
                    ? unavailable.summary() : ex.getMessage();
            err.println("Error: " + message);
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return badInput ? EXIT_BAD_INPUT : 1;
        });
        return cli;
    }

    private static int onBadArguments(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = ex.getMessage();
        if (ex.getCause() instanceof IllegalArgumentException cause && cause.getMessage() != null) {
            message = cause.getMessage();
        }
        err.println("Error: " + message);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the valid flags.");
        err.flush();
        return EXIT_BAD_INPUT;
    }
}
