package io.github.rosettadl.datasets.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.testing.Fixtures.Entry;
import io.github.rosettadl.datasets.testing.Fixtures;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Extraction of well-formed archives, and refusal of every way out of the target folder. */
class TarExtractorTest {

    @TempDir
    Path work;

    private Path target;
    private Path archive;

    @BeforeEach
    void folders() throws IOException {
        // the target sits one level down, so anything escaping it lands where the test can see it
        target = Files.createDirectories(work.resolve("jail/target"));
        archive = work.resolve("archive.tar.gz");
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TarExtractor.Extracted extract(List<Entry> entries) throws IOException {
        Files.write(archive, Fixtures.tarGz(entries));
        return TarExtractor.extract(archive, target);
    }

    @Test
    void extractsFoldersFilesAndInsideLinks() throws IOException {
        TarExtractor.Extracted extracted = extract(List.of(
                Entry.folder("./data"),
                Entry.file("./data/a.bin", text("alpha")),
                Entry.file("data/sub/b.bin", text("beta")),
                Entry.symlink("data/link-to-a", "a.bin"),
                Entry.hardLink("data/hard-a", "data/a.bin")));

        assertEquals("alpha", Files.readString(target.resolve("data/a.bin")));
        assertEquals("beta", Files.readString(target.resolve("data/sub/b.bin")));
        assertEquals("alpha", Files.readString(target.resolve("data/link-to-a")));
        assertEquals("alpha", Files.readString(target.resolve("data/hard-a")));
        assertEquals(List.of(target.resolve("data/a.bin"), target.resolve("data/sub/b.bin")), extracted.files());
        assertEquals(Md5.of(archive), extracted.archiveMd5());
    }

    @Test
    void extractsAnUncompressedTar() throws IOException {
        Files.write(archive, Fixtures.tar(List.of(Entry.file("x.txt", text("plain")))));
        TarExtractor.extract(archive, target);
        assertEquals("plain", Files.readString(target.resolve("x.txt")));
    }

    @Test
    void refusesDotDotOutOfTheTarget() throws IOException {
        assertSlip(List.of(Entry.file("ok.txt", text("fine")), Entry.file("../evil.txt", text("pwned"))),
                "'../evil.txt' would be written to '../evil.txt', outside the target folder");
    }

    @Test
    void refusesDotDotHiddenInAPath() throws IOException {
        assertSlip(List.of(Entry.file("data/../../evil.txt", text("pwned"))), "outside the target folder");
    }

    @Test
    void refusesAbsolutePaths() throws IOException {
        Path outside = work.resolve("absolute-evil.txt");
        assertSlip(List.of(Entry.file(outside.toString(), text("pwned"))), "has the absolute path");
    }

    @Test
    void refusesSymlinkToAnAbsolutePath() throws IOException {
        assertSlip(List.of(Entry.symlink("passwd", "/etc/passwd")), "is a link to the absolute path '/etc/passwd'");
    }

    @Test
    void refusesSymlinkClimbingOut() throws IOException {
        assertSlip(List.of(Entry.symlink("up", "../.."), Entry.file("up/evil.txt", text("pwned"))),
                "is a link to '../..', outside the target folder");
    }

    @Test
    void refusesSymlinkThatClimbsOutThroughAnotherLink() throws IOException {
        // "d/up" points at the target itself, which is fine; "d/esc" = "up/.." looks like "d" on paper
        // but is the target's parent on disk
        assertSlip(List.of(Entry.folder("d"), Entry.symlink("d/up", ".."), Entry.symlink("d/esc", "up/.."),
                Entry.file("d/esc/evil.txt", text("pwned"))), "resolves through a link to");
    }

    @Test
    void refusesHardLinkToAFileOutside() throws IOException {
        Files.writeString(work.resolve("jail/secret.txt"), "secret");
        assertSlip(List.of(Entry.hardLink("stolen", "../secret.txt")), "outside the target folder");
    }

    @Test
    void refusesDevices() throws IOException {
        Files.write(archive, Fixtures.tarGz(List.of(Entry.device("dev/zero"))));

        DatasetException e = assertThrows(DatasetException.class, () -> TarExtractor.extract(archive, target));

        assertTrue(e.getMessage().contains("'dev/zero' of an unsupported type"), e.getMessage());
    }

    @Test
    void truncatedArchiveIsReported() throws IOException {
        byte[] whole = Fixtures.tarGz(List.of(Entry.file("big.bin", new byte[200_000])));
        Files.write(archive, Fixtures.head(whole, whole.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> TarExtractor.extract(archive, target));

        assertTrue(e.getMessage().startsWith("could not extract " + archive), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
    }

    /** Extraction fails naming the archive and entry, and nothing appears outside the target. */
    private void assertSlip(List<Entry> entries, String expectedText) throws IOException {
        DatasetException e = assertThrows(DatasetException.class, () -> extract(entries));

        assertTrue(e.getMessage().startsWith(archive + ": entry '"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedText), e.getMessage());
        assertTrue(e.getMessage().contains("tar slip"), e.getMessage());
        try (Stream<Path> jail = Files.list(work.resolve("jail"))) {
            List<String> names = jail.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.equals(List.of("target")) || names.equals(List.of("secret.txt", "target")),
                    "written outside the target: " + names);
        }
        try (Stream<Path> top = Files.list(work)) {
            assertEquals(List.of("archive.tar.gz", "jail"), top.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
