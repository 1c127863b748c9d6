package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code train char-rnn --text FILE} then {@code generate} on texts unlike the bundled one: lower
 * case, Greek, and emoji outside the Basic Multilingual Plane; and the bad inputs around them.
 */
class CharRnnTextsTest {

    /** U+1F41F FISH and U+1F420 TROPICAL FISH, each a surrogate pair in Java. */
    private static final String FISH = "\uD83D\uDC1F";
    private static final String TROPICAL = "\uD83D\uDC20";

    @TempDir
    static Path tmp;

    /** A model of a seven-character text, shared by the prompt tests. */
    private static Path abcCheckpoint;

    @BeforeAll
    static void trainOnASmallAlphabet() throws IOException {
        abcCheckpoint = train(text("abc.txt", "abc cab bca, acb.\n".repeat(20)), "abc").resolve("model.ckpt");
    }

    private static Path text(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** One quick epoch on at most 200 windows into {@code tmp/name}; asserts it succeeded. */
    private static Path train(Path text, String name) {
        Path dir = tmp.resolve(name);
        CliRun run = CliRun.of("train", "char-rnn", "--text", text.toString(), "--epochs", "1", "--limit", "200",
                "--device", "cpu", "--output-dir", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        return dir;
    }

    /** Reads a file as strict UTF-8: a lone half of a surrogate pair would have been written as '?' or fail. */
    private static String readStrictUtf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(file + " is not valid UTF-8", e);
        }
    }

    private static void assertOnlyCharactersOf(String text, String sample) {
        sample.codePoints().forEach(cp -> assertTrue(text.indexOf(cp) >= 0,
                "U+" + Integer.toHexString(cp) + " is not in the text: " + sample));
    }

    private static List<String> classNames(Path checkpoint) {
        try (LoadedCheckpoint loaded = Checkpoint.load(checkpoint, Device.cpu())) {
            return loaded.description().data().classNames();
        }
    }

    @Test
    void aLowerCaseTextWritesItsReportWithASampleFromItsFirstWord() throws IOException {
        String content = "it is a truth universally acknowledged, that a single man in possession of a good"
                + " fortune, must be in want of a wife.\n".repeat(8);
        Path dir = train(text("lower.txt", content), "lower");

        for (String file : List.of("history.csv", "loss.png", "sample.txt", "summary.md", "model.ckpt")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        String sample = readStrictUtf8(dir.resolve("sample.txt")).strip();
        assertTrue(sample.startsWith("it"), "the text's first word, not \"It was\": " + sample);
        assertEquals(2 + 400, sample.codePointCount(0, sample.length()), sample);
        assertOnlyCharactersOf(content, sample);
        assertTrue(readStrictUtf8(dir.resolve("summary.md")).contains(sample), "the sample is in summary.md");
    }

    @Test
    void aGreekTextTrainsAndGenerates() throws IOException {
        String content = "\u03bc\u1fc6\u03bd\u03b9\u03bd \u1f04\u03b5\u03b9\u03b4\u03b5 \u03b8\u03b5\u1f70"
                + " \u03a0\u03b7\u03bb\u03b7\u03ca\u03ac\u03b4\u03b5\u03c9 \u1f08\u03c7\u03b9\u03bb\u1fc6\u03bf\u03c2"
                + " \u03bf\u1f50\u03bb\u03bf\u03bc\u03ad\u03bd\u03b7\u03bd,\n";
        Path dir = train(text("iliad.txt", content.repeat(12)), "greek");

        String sample = readStrictUtf8(dir.resolve("sample.txt")).strip();
        assertTrue(sample.startsWith("\u03bc\u1fc6\u03bd\u03b9\u03bd"), sample);
        assertOnlyCharactersOf(content, sample);

        // without --prompt: "It was" does not fit, so it starts with the model's first letter and says so
        CliRun generate = CliRun.of("generate", dir.resolve("model.ckpt").toString(), "--length", "50",
                "--device", "cpu");
        assertEquals(0, generate.exitCode(), generate.err());
        assertTrue(generate.err().contains("default prompt \"It was\"") && generate.err().contains("--prompt"),
                generate.err());
        String text = generate.out().strip();
        assertEquals(1 + 50, text.codePointCount(0, text.length()), text);
        assertOnlyCharactersOf(content, text);

        CliRun greekPrompt = CliRun.of("generate", dir.resolve("model.ckpt").toString(), "--prompt",
                "\u1f08\u03c7\u03b9", "--length", "30", "--device", "cpu");
        assertEquals(0, greekPrompt.exitCode(), greekPrompt.err());
        assertTrue(greekPrompt.out().startsWith("\u1f08\u03c7\u03b9"), greekPrompt.out());
    }

    @Test
    void emojiAreWholeCharactersInTheCheckpointTheSampleAndGenerate() throws IOException {
        String content = ("It was a " + FISH + " fish. It was a " + TROPICAL + " fish too. " + FISH + FISH
                + " swim.\n").repeat(10);
        Path dir = train(text("fish.txt", content), "emoji");

        List<String> vocabulary = classNames(dir.resolve("model.ckpt"));
        // sorted(set(text)) in Python: one class name per code point, in code-point order
        assertEquals(content.codePoints().distinct().sorted().mapToObj(Character::toString).toList(), vocabulary);
        assertTrue(vocabulary.contains(FISH) && vocabulary.contains(TROPICAL), vocabulary.toString());

        String sample = readStrictUtf8(dir.resolve("sample.txt")).strip();
        assertTrue(sample.startsWith("It was"), sample);
        assertEquals(6 + 400, sample.codePointCount(0, sample.length()), sample);
        assertOnlyCharactersOf(content, sample);
        assertTrue(readStrictUtf8(dir.resolve("summary.md")).contains(sample));

        CliRun generate = CliRun.of("generate", dir.resolve("model.ckpt").toString(), "--prompt", TROPICAL + FISH,
                "--length", "120", "--temperature", "1.5", "--device", "cpu");
        assertEquals(0, generate.exitCode(), generate.err());
        String text = generate.out().strip();
        assertTrue(text.startsWith(TROPICAL + FISH), text);
        assertEquals(2 + 120, text.codePointCount(0, text.length()), text);
        assertOnlyCharactersOf(content, text);
    }

    @Test
    void aPromptOutsideTheAlphabetIsABadInputNamingTheCharactersAndTheValidOnes() {
        CliRun run = CliRun.of("generate", abcCheckpoint.toString(), "--prompt", "It was " + FISH, "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        for (String mention : new String[] {"It was " + FISH, abcCheckpoint.toString(), "'I' (U+0049)",
            "'t' (U+0074)", "'" + FISH + "' (U+1F41F)", "these 7 characters: \"\\n ,.abc\""}) {
            assertTrue(run.err().contains(mention), "expected " + mention + " in: " + run.err());
        }
        assertFalse(run.err().contains("'a' (U+0061)"), "a known character is not called unknown: " + run.err());
    }

    @Test
    void anEmptyPromptIsABadInput() {
        CliRun run = CliRun.of("generate", abcCheckpoint.toString(), "--prompt", "", "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("at least one character"), run.err());
    }

    @Test
    void aTextOfOneRepeatedCharacterIsRefusedBeforeTraining() throws IOException {
        Path file = text("aaa.txt", "a".repeat(500));
        CliRun run = CliRun.of("train", "char-rnn", "--text", file.toString(), "--epochs", "1", "--device", "cpu",
                "--output-dir", tmp.resolve("aaa").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(file.toString()) && run.err().contains("only one distinct character"),
                run.err());
        assertFalse(Files.exists(tmp.resolve("aaa")), "refused before the output folder is made");
    }

    @Test
    void aTextTooShortForOneWindowNamesTheFile() throws IOException {
        Path file = text("short.txt", "too short to learn from");
        CliRun run = CliRun.of("train", "char-rnn", "--text", file.toString(), "--device", "cpu",
                "--output-dir", tmp.resolve("short").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(file.toString()) && run.err().contains("need at least 41"), run.err());
        assertFalse(Files.exists(tmp.resolve("short")), "refused before the output folder is made");
    }

    @Test
    void theAdviceForAnImageDatasetNamesCommandsThatExist() {
        CliRun run = CliRun.of("train", "char-rnn", "--dataset", "mnist");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("--dataset mnist") && run.err().contains("simple-cnn"), run.err());
        Matcher advised = Pattern.compile("'rosetta ([^']+)'").matcher(run.err());
        int commands = 0;
        while (advised.find()) {
            commands++;
            String[] words = advised.group(1).replace("FILE", "book.txt").split(" ");
            CliRun help = CliRun.of(RosettaCli.withPrefix(new String[] {"--help"}, words));
            assertEquals(0, help.exitCode(), "'" + advised.group(1) + "' is not a command: " + help.err());
        }
        assertEquals(2, commands, run.err());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing", "empty", "latin1", "folder"})
    void anUnreadableTextNamesTheFileAndLeavesNoFolder(String kind) throws IOException {
        Path file = tmp.resolve(kind + ".txt");
        switch (kind) {
            case "empty" -> Files.write(file, new byte[0]);
            case "latin1" -> Files.write(file, "caf\u00e9 au lait, ".repeat(10).getBytes(StandardCharsets.ISO_8859_1));
            case "folder" -> Files.createDirectory(file);
            default -> { }
        }
        Path out = tmp.resolve("unreadable-" + kind);
        CliRun run = CliRun.of("train", "char-rnn", "--text", file.toString(), "--device", "cpu",
                "--output-dir", out.toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(file.toString()), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(Files.exists(out), "refused before the output folder is made");
    }
}
