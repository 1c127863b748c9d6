package io.github.rosettadl.datasets.files;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks a {@code .tar} or {@code .tar.gz} into a folder, refusing any entry that would land
 * outside it (tar slip): names with {@code ..} that climb out, absolute names, and symbolic or
 * hard links that point out, directly or through other links. Only folders, regular files and
 * such links are unpacked; devices and pipes are refused.
 */
public final class TarExtractor {

    private static final int BUFFER = 1 << 16;

    /**
     * What an extraction produced.
     *
     * @param files the regular files written, in archive order
     * @param archiveMd5 the md5 of the archive file as read
     */
    public record Extracted(List<Path> files, String archiveMd5) {
    }

    private TarExtractor() {
    }

    /**
     * Extracts {@code archive} into {@code targetDir}, which must exist and should be empty.
     * On failure, what was already written stays for the caller to delete with its temporary
     * folder.
     *
     * @param archive a tar file, gzipped or not (told by its first bytes)
     * @param targetDir the folder to unpack into
     * @return the files written and the archive's md5
     * @throws DatasetException for an entry that would leave {@code targetDir}, an unsupported entry
     *     type, or a corrupt archive; the message names the archive and the entry
     * @throws DatasetStorageException when the machine fails rather than the archive: a full disk, a
     *     permission, a read-only file system, a file that vanished; the message names the path
     */
    public static Extracted extract(Path archive, Path targetDir) {
        MessageDigest digest = Md5.newDigest();
        List<Path> files = new ArrayList<>();
        String entryName = null;
        try (InputStream raw = new BufferedInputStream(
                new DigestInputStream(Files.newInputStream(archive), digest), BUFFER)) {
            Path root = targetDir.toRealPath();
            InputStream tarBytes = isGzip(raw)
                    ? GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get()
                    : raw;
            TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entryName = entry.getName();
                Path dest = inside(archive, root, entry.getName(), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                    checkReal(archive, root, dest, entry.getName());
                } else if (entry.isSymbolicLink()) {
                    createSymbolicLink(archive, root, dest, entry);
                } else if (entry.isLink()) {
                    Path existing = inside(archive, root, entry.getLinkName(), entry.getName());
                    if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                        throw new DatasetException(archive + " has entry '" + entry.getName() + "', a hard link to '"
                                + entry.getLinkName() + "', which comes later or not at all; the archive is not a"
                                + " genuine copy: delete it and get the original.");
                    }
                    parentOf(archive, root, dest, entry.getName());
                    checkReal(archive, root, existing, entry.getName());
                    Files.createLink(dest, existing);
                } else if (entry.isFile() && !entry.isCharacterDevice() && !entry.isBlockDevice() && !entry.isFIFO()) {
                    parentOf(archive, root, dest, entry.getName());
                    Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
                    files.add(dest);
                } else {
                    throw new DatasetException(archive + " has entry '" + entry.getName() + "' of an unsupported"
                            + " type (device, pipe or other special file); refusing to extract it. Use a genuine"
                            + " copy of the archive.");
                }
            }
            // the padding after the last entry belongs to the file's checksum
            raw.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            if (FileSystemErrors.isEnvironment(e)) {
                // the disk, not the archive: say so, and never advise deleting a good archive
                throw FileSystemErrors.storage("Cannot extract " + archive + " into " + targetDir
                        + (entryName == null ? "" : " (at entry '" + entryName + "')"), e,
                        "The archive itself is not at fault: keep it.");
            }
            throw new DatasetException("could not extract " + archive + " into " + targetDir + ": " + e
                    + ". The archive is corrupt or truncated: delete it and download it again, or replace it"
                    + " with an intact copy.", e);
        }
        return new Extracted(List.copyOf(files), Md5.hex(digest));
    }

    private static void createSymbolicLink(Path archive, Path root, Path dest, TarArchiveEntry entry)
            throws IOException {
        String target = entry.getLinkName();
        if (isAbsolute(target)) {
            throw slip(archive, entry.getName(), "is a link to the absolute path '" + target + "'");
        }
        Path parent = parentOf(archive, root, dest, entry.getName());
        Path resolved = parent.resolve(target).normalize();
        if (!resolved.startsWith(root)) {
            throw slip(archive, entry.getName(), "is a link to '" + target + "', outside the target folder");
        }
        Files.deleteIfExists(dest);
        Files.createSymbolicLink(dest, dest.getFileSystem().getPath(target));
        if (Files.exists(dest)) {
            // a link through other links can climb out where the lexical check above cannot see it
            checkReal(archive, root, dest, entry.getName());
        }
    }

    /** Creates the parent folders of {@code dest} and checks that, links followed, they are inside. */
    private static Path parentOf(Path archive, Path root, Path dest, String entryName) throws IOException {
        Path parent = dest.getParent();
        Files.createDirectories(parent);
        return checkReal(archive, root, parent, entryName);
    }

    private static Path checkReal(Path archive, Path root, Path path, String entryName) throws IOException {
        Path real = path.toRealPath();
        if (!real.startsWith(root)) {
            throw slip(archive, entryName, "resolves through a link to " + real + ", outside the target folder");
        }
        return real;
    }

    /** Resolves an entry name under {@code root}, refusing absolute names and names that climb out. */
    private static Path inside(Path archive, Path root, String name, String entryName) {
        if (name == null || name.isEmpty()) {
            throw slip(archive, entryName, "has an empty name");
        }
        if (isAbsolute(name)) {
            throw slip(archive, entryName, "has the absolute path '" + name + "'");
        }
        Path resolved = root.resolve(name).normalize();
        if (!resolved.startsWith(root)) {
            throw slip(archive, entryName, "would be written to '" + name + "', outside the target folder");
        }
        return resolved;
    }

    private static boolean isAbsolute(String name) {
        return name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*");
    }

    private static DatasetException slip(Path archive, String entryName, String what) {
        return new DatasetException(archive + ": entry '" + entryName + "' " + what
                + "; refusing to extract (tar slip). The archive is not a genuine copy: delete it and get the"
                + " original.");
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
