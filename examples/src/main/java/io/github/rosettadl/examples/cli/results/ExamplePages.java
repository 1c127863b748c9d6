package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.io.AtomicFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The result blocks of the example pages ({@code docs/examples/*.md}). A block opens with
 * {@code <!-- results:begin cifar-cnn/cifar10 cifar-cnn/mnist -->}, naming the runs it shows, and
 * closes with {@code <!-- results:end -->}; everything between is generated from the stored rows by
 * {@link ResultsMarkdown#exampleBlock}, so a page shows the same runs as {@code RESULTS.md}. The text
 * around the markers is the page's own.
 */
public final class ExamplePages {

    /** The start of an opening marker; the run ids and {@code -->} follow on the same line. */
    public static final String BEGIN = "<!-- results:begin";
    /** The closing marker. */
    public static final String END = "<!-- results:end -->";

    private static final Pattern OPENING = Pattern.compile(Pattern.quote(BEGIN) + "(.*?)-->[ \\t]*\\R");

    private ExamplePages() {}

    /**
     * A page with every result block regenerated.
     *
     * @param page the page's markdown
     * @param name the page's name, for error messages
     * @param rows every stored row
     * @param catalog the runs a block may name (those of {@code rosetta results --list}), with their notes
     * @return the new markdown; the same text where the blocks were already up to date
     * @throws IllegalArgumentException naming the page when a marker is unclosed, names no run or an
     *     unknown one
     */
    public static String fill(String page, String name, List<ResultRow> rows, List<PlannedRun> catalog) {
        Set<String> runIds = catalog.stream().map(PlannedRun::id).collect(Collectors.toCollection(LinkedHashSet::new));
        StringBuilder out = new StringBuilder();
        Matcher opening = OPENING.matcher(page);
        int from = 0;
        int blocks = 0;
        while (opening.find(from)) {
            List<String> ids = Arrays.stream(opening.group(1).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(name + ": the marker '" + opening.group().trim() + "' names no run."
                        + " List the runs it shows, for example '" + BEGIN + " mlp/mnist -->'.");
            }
            for (String id : ids) {
                if (!runIds.contains(id)) {
                    throw new IllegalArgumentException(name + ": the marker '" + opening.group().trim() + "' names '"
                            + id + "', which is not a run of `rosetta results --list`. Use one of " + runIds + ".");
                }
            }
            int end = page.indexOf(END, opening.end());
            int nextOpening = page.indexOf(BEGIN, opening.end());
            if (end < 0 || (nextOpening >= 0 && nextOpening < end)) {
                throw new IllegalArgumentException(name + ": the marker '" + opening.group().trim() + "' has no '"
                        + END + "' after it. Add one on its own line where the generated block should end.");
            }
            out.append(page, from, opening.end()).append(ResultsMarkdown.exampleBlock(rows, ids, catalog));
            from = end;
            blocks++;
        }
        if (Pattern.compile(Pattern.quote(END)).matcher(page).results().count() != blocks) {
            throw new IllegalArgumentException(name + ": a '" + END + "' has no '" + BEGIN + " ... -->' before it."
                    + " Add the opening marker with the runs the block shows, or remove the closing one.");
        }
        return out.append(page, from, page.length()).toString();
    }

    /**
     * Regenerates the result blocks of every page in a folder and writes the pages whose text changed,
     * each atomically. Pages without markers are left alone, and so is every page when there are no
     * stored rows, so that a missing store never empties a page.
     *
     * @param dir the folder of example pages ({@code docs/examples}); nothing happens when it does not exist
     * @param rows every stored row
     * @param catalog the runs a block may name
     * @return the pages written
     * @throws IllegalArgumentException naming the page when one of its markers is wrong; no page is
     *     written then
     */
    public static List<Path> regenerate(Path dir, List<ResultRow> rows, List<PlannedRun> catalog) {
        if (!Files.isDirectory(dir) || rows.isEmpty()) {
            return List.of();
        }
        List<Path> pages;
        try (Stream<Path> listing = Files.list(dir)) {
            pages = listing.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the example pages in " + dir + ": " + e.getMessage(), e);
        }
        // fill every page first: one wrong marker stops the command before any page changes
        List<Path> changed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Path page : pages) {
            String text;
            try {
                text = Files.readString(page, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the example page " + page + ": " + e.getMessage(), e);
            }
            String filled = fill(text, page.toString(), rows, catalog);
            if (!filled.equals(text)) {
                changed.add(page);
                texts.add(filled);
            }
        }
        for (int i = 0; i < changed.size(); i++) {
            String text = texts.get(i);
            AtomicFile.write(changed.get(i), temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
        }
        return changed;
    }
}
