package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Edits the checkpoint.json of a real checkpoint inside its zip, leaving the weights as they are. */
final class DamagedCheckpoint {

    private DamagedCheckpoint() {
    }

    /** Replaces the first occurrence of a text in checkpoint.json; fails when the text is not there. */
    static void replaceInJson(Path file, String text, String replacement) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        String json = new String(entries.get("checkpoint.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains(text), "checkpoint.json has " + text + ": " + json);
        entries.put("checkpoint.json", json.replaceFirst(Pattern.quote(text),
                Matcher.quoteReplacement(replacement)).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
    }
}
