package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.examples.cli.results.ExamplePages;
import io.github.rosettadl.examples.cli.results.PlannedRun;
import io.github.rosettadl.examples.cli.results.QuantizationResults;
import io.github.rosettadl.examples.cli.results.ResultRow;
import io.github.rosettadl.examples.cli.results.ResultsMarkdown;
import io.github.rosettadl.examples.cli.results.ResultsStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The example pages' result blocks: generated from the same stored rows as RESULTS.md. */
class ExamplePagesTest {

    /** The checkout's docs folder; tests run in the module's folder. */
    private static final Path DOCS = Path.of("..", "docs");
    private static final List<PlannedRun> CATALOG = PlannedRun.catalog();

    @TempDir
    Path tmp;

    private static ResultRow row(String id, double accuracy, Double yardstick) {
        return new ResultRow(id, "seed", id + " in words", 10, ResultRow.TEST_ACCURACY, accuracy, accuracy + 0.1, 8,
                yardstick, yardstick == null ? null : yardstick - PlannedRun.SEED_TOLERANCE,
                yardstick == null ? null : accuracy >= yardstick - PlannedRun.SEED_TOLERANCE, "", 273.4, 2171, 1,
                0, "./rosetta train " + id.replace("/", " --dataset "), "4ea91b4", "2026-11-26T01:24:57Z",
                "AMD EPYC, 2 cores, Java 17", 2.1);
    }

    private static final String STALE_PAGE = """
            # CNN on CIFAR-10

            Hand-written text stays.

            ## Results

            <!-- results:begin cifar-cnn/cifar10 -->
            | CifarCNN, CIFAR-10 | 10 | **70.61%** |

            ```
            nice -n 10 ./rosetta train cifar-cnn --data-dir /some/machine/data
            ```
            <!-- results:end -->

            Text after the block stays too.
            """;

    @Test
    void aBlockIsRewrittenFromTheStoredRowsAndTheTextAroundItIsKept() {
        List<ResultRow> rows = List.of(row("mlp/mnist", 97.77, 97.7), row("cifar-cnn/cifar10", 70.81, 70.0));
        String filled = ExamplePages.fill(STALE_PAGE, "cifar-cnn.md", rows, CATALOG);
        assertFalse(filled.contains("70.61%"), filled);
        assertFalse(filled.contains("/some/machine"), filled);
        assertTrue(filled.contains("| cifar-cnn/cifar10 | cifar-cnn/cifar10 in words | 10 | 70.81% | 70.91% (8) | 70.00%"
                + " | ≥ 69.50% | yes | 4 min 33 s | 2,171 |"), filled);
        assertTrue(filled.contains("0.81 points above the plain-PyTorch figure"), filled);
        assertTrue(filled.contains("\n./rosetta train cifar-cnn --dataset cifar10 --threads 1\n"), filled);
        assertTrue(filled.contains("commit 4ea91b4 on 2026-11-26"), filled);
        assertFalse(filled.contains("mlp/mnist"), "only the rows the marker names:\n" + filled);
        assertTrue(filled.startsWith("# CNN on CIFAR-10\n\nHand-written text stays.\n\n## Results\n\n"
                + "<!-- results:begin cifar-cnn/cifar10 -->\n"), filled);
        assertTrue(filled.endsWith("```\n<!-- results:end -->\n\nText after the block stays too.\n"), filled);
        assertEquals(filled, ExamplePages.fill(filled, "cifar-cnn.md", rows, CATALOG), "a second pass changes nothing");
    }

    @Test
    void aRunWithoutAStoredRowSaysHowToMakeIt() {
        String filled = ExamplePages.fill(STALE_PAGE, "cifar-cnn.md", List.of(row("mlp/mnist", 97.77, 97.7)), CATALOG);
        assertTrue(filled.contains("No stored run yet for cifar-cnn/cifar10: `./rosetta results --only cifar-cnn/cifar10`"),
                filled);
        assertFalse(filled.contains("70.61%"), filled);
    }

    @Test
    void aWrongMarkerNamesThePageAndWhatToFix() {
        List<ResultRow> rows = List.of(row("mlp/mnist", 97.77, 97.7));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ExamplePages.fill(
                "<!-- results:begin mlp/mnist cnn/mnst -->\n<!-- results:end -->\n", "mlp.md", rows, CATALOG));
        assertTrue(unknown.getMessage().startsWith("mlp.md:") && unknown.getMessage().contains("'cnn/mnst'")
                && unknown.getMessage().contains("rosetta results --list"), unknown.getMessage());
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class, () -> ExamplePages.fill(
                "<!-- results:begin mlp/mnist -->\ntext\n", "mlp.md", rows, CATALOG));
        assertTrue(unclosed.getMessage().contains("has no '<!-- results:end -->'"), unclosed.getMessage());
        IllegalArgumentException twoOpenings = assertThrows(IllegalArgumentException.class, () -> ExamplePages.fill(
                "<!-- results:begin mlp/mnist -->\n<!-- results:begin mlp/mnist -->\n<!-- results:end -->\n", "mlp.md",
                rows, CATALOG));
        assertTrue(twoOpenings.getMessage().contains("has no '<!-- results:end -->'"), twoOpenings.getMessage());
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class, () -> ExamplePages.fill(
                "text\n<!-- results:end -->\n", "mlp.md", rows, CATALOG));
        assertTrue(stray.getMessage().contains("has no '<!-- results:begin"), stray.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ExamplePages.fill(
                "<!-- results:begin -->\n<!-- results:end -->\n", "mlp.md", rows, CATALOG));
        assertTrue(empty.getMessage().contains("names no run"), empty.getMessage());
    }

    @Test
    void renderOnlyRegeneratesTheExamplePagesBesideThePage() throws IOException {
        Path docs = tmp.resolve("docs");
        Files.createDirectories(docs.resolve("results"));
        Files.createDirectories(docs.resolve("examples"));
        Files.copy(DOCS.resolve("results/results.json"), docs.resolve("results/results.json"));
        Path page = docs.resolve("examples/cifar-cnn.md");
        Files.writeString(page, STALE_PAGE);
        Path plain = docs.resolve("examples/README.md");
        Files.writeString(plain, "# No markers here\n");

        CliRun render = CliRun.of("results", "--render-only", "--output", docs.resolve("RESULTS.md").toString());
        assertEquals(0, render.exitCode(), render.err());
        String regenerated = Files.readString(page);
        ResultRow stored = ResultsStore.open(docs.resolve("results/results.json")).rows().stream()
                .filter(r -> r.id().equals("cifar-cnn/cifar10")).findFirst().orElseThrow();
        assertTrue(regenerated.contains(String.format(Locale.ROOT, "| %.2f%% |", stored.finalValue())),
                regenerated);
        assertFalse(regenerated.contains("70.61%"), regenerated);
        assertEquals("# No markers here\n", Files.readString(plain));

        Files.writeString(page, STALE_PAGE.replace("cifar-cnn/cifar10 -->", "cifar-cnn/cifar100 -->"));
        String before = Files.readString(page);
        CliRun wrong = CliRun.of("results", "--render-only", "--output", docs.resolve("RESULTS.md").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, wrong.exitCode(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains(page.toString()) && wrong.err().contains("cifar-cnn/cifar100"), wrong.err());
        assertEquals(before, Files.readString(page), "a page with a wrong marker is left as it was");
    }

    @Test
    void withoutStoredRowsNoPageIsTouched() throws IOException {
        Path examples = Files.createDirectories(tmp.resolve("examples"));
        Path page = examples.resolve("cifar-cnn.md");
        Files.writeString(page, STALE_PAGE);
        assertEquals(List.of(), ExamplePages.regenerate(examples, List.of(), CATALOG));
        assertEquals(STALE_PAGE, Files.readString(page));
    }

    /** The committed pages: every example page has a block, and every block is what the store renders. */
    @Test
    void theCommittedExamplePagesAndResultsPageAreTheRenderingOfTheCommittedStore() throws IOException {
        List<ResultRow> rows = ResultsStore.open(DOCS.resolve("results/results.json")).rows();
        assertFalse(rows.isEmpty());
        QuantizationResults int8 = QuantizationResults.open(DOCS.resolve("results").resolve(QuantizationResults.FILE));
        assertEquals(int8.insertInto(ResultsMarkdown.render(rows, CATALOG)), Files.readString(DOCS.resolve("RESULTS.md")),
                "docs/RESULTS.md is out of date: run ./rosetta results --render-only");
        List<Path> pages;
        try (Stream<Path> listing = Files.list(DOCS.resolve("examples"))) {
            pages = listing.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        Pattern opening = Pattern.compile("<!-- results:begin (.*) -->");
        for (Path page : pages) {
            String text = Files.readString(page);
            if (page.getFileName().toString().equals("README.md")) {
                continue;
            }
            Matcher m = opening.matcher(text);
            assertTrue(m.find(), page + " has no generated results block");
            for (String id : m.group(1).trim().split("\\s+")) {
                assertTrue(rows.stream().anyMatch(r -> r.id().equals(id)), page + " shows " + id + ", which has no row");
            }
            assertEquals(ExamplePages.fill(text, page.toString(), rows, CATALOG), text,
                    page + " is out of date: run ./rosetta results --render-only");
        }
    }
}
