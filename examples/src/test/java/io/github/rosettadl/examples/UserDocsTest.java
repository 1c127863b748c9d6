package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The docs, the notebooks' committed outputs and the Javadoc speak to users: no folder of one
 * particular machine, and no words about how the project was made.
 */
class UserDocsTest {

    /** The checkout; tests run in the module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Folders of one machine: a user has none of them. */
    private static final Pattern MACHINE_PATH = Pattern.compile("/(work|root)/|/home/[a-z]|/tmp/docs-runs");
    /** The data folder beside the checkout that the project's own test machines keep. */
    private static final Pattern SHARED_FOLDER = Pattern.compile("\\.\\./shared/");
    /** How the project was made, which a user cannot act on. */
    private static final Pattern MAKING_OF = Pattern.compile("(?i)benchmark issue|engineer|project machine"
            + "|project's machine|the yardstick|\\bissue \\d|other jobs");
    /** Load figures belong in docs/PERFORMANCE.md with their context, not in class comments. */
    private static final Pattern LOAD_FIGURE = Pattern.compile("(?i)\\bload (of |about )?\\d");

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix) && !p.toString().contains("/target/")).sorted()
                    .toList();
        }
    }

    private static List<Path> userDocs() throws IOException {
        List<Path> docs = new ArrayList<>(files(ROOT.resolve("docs"), ".md"));
        docs.add(ROOT.resolve("README.md"));
        docs.add(ROOT.resolve("bench/README.md"));
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).forEach(docs::add);
        }
        docs.addAll(files(ROOT.resolve("notebooks"), ".ipynb"));
        return docs;
    }

    private static void findAll(Pattern pattern, Path file, String text, List<String> found) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = pattern.matcher(lines[i]);
            if (m.find()) {
                found.add(ROOT.relativize(file) + ":" + (i + 1) + ": '" + m.group() + "' in "
                        + lines[i].strip().substring(0, Math.min(160, lines[i].strip().length())));
            }
        }
    }

    @Test
    void docsAndNotebookOutputsNameNoMachinesFoldersAndNotHowTheProjectWasMade() throws IOException {
        List<Path> docs = userDocs();
        assertTrue(docs.size() > 15, "found the docs: " + docs);
        List<String> found = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            findAll(MACHINE_PATH, doc, text, found);
            findAll(MAKING_OF, doc, text, found);
            // core's and datasets' READMEs say where their own real-data tests look; a user's commands never do
            boolean moduleTestNotes = doc.equals(ROOT.resolve("core/README.md"))
                    || doc.equals(ROOT.resolve("datasets/README.md"));
            if (!moduleTestNotes) {
                findAll(SHARED_FOLDER, doc, text, found);
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void javadocNamesNoMachinesFoldersNorHowTheProjectWasMade() throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : List.of("core", "datasets", "examples")) {
            for (Path source : files(ROOT.resolve(module).resolve("src/main/java"), ".java")) {
                StringBuilder comments = new StringBuilder();
                for (String line : Files.readAllLines(source)) {
                    String t = line.strip();
                    // comment lines only: code may well name a load or an issue tracker's field
                    comments.append(t.startsWith("*") || t.startsWith("/*") || t.startsWith("//") ? t : "").append('\n');
                }
                String text = comments.toString();
                findAll(MACHINE_PATH, source, text, found);
                findAll(SHARED_FOLDER, source, text, found);
                findAll(MAKING_OF, source, text, found);
                findAll(LOAD_FIGURE, source, text, found);
            }
        }
        assertEquals(List.of(), found);
    }
}
