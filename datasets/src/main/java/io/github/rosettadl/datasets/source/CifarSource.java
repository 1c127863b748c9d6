package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.cifar.CifarBinaryFormat;
import io.github.rosettadl.datasets.download.DownloadException;
import io.github.rosettadl.datasets.download.Downloader;
import io.github.rosettadl.datasets.files.FileSystemErrors;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.files.TarExtractor;
import io.github.rosettadl.datasets.files.VerifiedFileReader;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * CIFAR-10's binary version: the folder {@code cifar-10-batches-bin/} (in a data folder, its
 * {@code cifar10/} subfolder, or the data folder itself), or the archive
 * {@code cifar-10-binary.tar.gz}, which is extracted into the cache. Each batch file is checked
 * against its published md5, so a repacked archive with the original files inside is accepted.
 */
final class CifarSource implements ImageSource {

    private static final Logger LOG = LoggerFactory.getLogger(CifarSource.class);
    static final String FOLDER = "cifar-10-batches-bin";
    static final String META = "batches.meta.txt";

    private final ImageDatasetId id;
    private final List<String> defaultClassNames;
    private final PublishedFile archive;
    private final List<PublishedFile> trainFiles;
    private final PublishedFile testFile;
    private final List<URI> mirrors;

    CifarSource(ImageDatasetId id, List<String> defaultClassNames, PublishedFile archive,
            List<PublishedFile> trainFiles, PublishedFile testFile, List<URI> mirrors) {
        this.id = id;
        this.defaultClassNames = List.copyOf(defaultClassNames);
        this.archive = archive;
        this.trainFiles = List.copyOf(trainFiles);
        this.testFile = testFile;
        this.mirrors = List.copyOf(mirrors);
    }

    @Override
    public ImageDatasetId id() {
        return id;
    }

    @Override
    public List<URI> publishedMirrors() {
        return mirrors;
    }

    @Override
    public Lookup lookIn(Path root) {
        if (!Files.isDirectory(root)) {
            return Lookup.missing("no such folder");
        }
        String partial = null;
        for (Path dir : List.of(root.resolve(FOLDER), root.resolve(id.cliName()).resolve(FOLDER), root)) {
            List<String> missing = missingIn(dir);
            if (missing.isEmpty()) {
                return Lookup.folder(dir);
            }
            if (partial == null && Files.isDirectory(dir) && missing.size() < trainFiles.size() + 1) {
                partial = dir + " lacks " + String.join(", ", missing);
            }
        }
        for (Path file : List.of(root.resolve(archive.name()), root.resolve(id.cliName()).resolve(archive.name()))) {
            if (Files.isRegularFile(file)) {
                return Lookup.archive(file);
            }
        }
        return Lookup.missing(partial != null ? partial
                : "neither " + FOLDER + "/ nor " + archive.name() + " (in it or in " + id.cliName() + "/)");
    }

    private List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (PublishedFile file : allBatches()) {
            if (!Files.isRegularFile(dir.resolve(file.name()))) {
                missing.add(file.name());
            }
        }
        return missing;
    }

    private List<PublishedFile> allBatches() {
        List<PublishedFile> all = new ArrayList<>(trainFiles);
        all.add(testFile);
        return all;
    }

    @Override
    public ImageData load(Lookup found, Path cacheDir) {
        if (found.dir() != null) {
            return loadFolder(found.dir());
        }
        return extractAndLoad(found.archive(), CacheFolder.prepare(cacheDir, id));
    }

    /**
     * Extracts {@code tarball} into a temporary folder in {@code home}, reads and verifies it there,
     * and only then renames the folder into place, so the cache never holds a partial copy.
     */
    private ImageData extractAndLoad(Path tarball, Path home) {
        Path target = home.resolve(FOLDER);
        if (Files.isDirectory(target)) {
            // extracted on an earlier run; its files are verified again as they are read
            return loadFolder(target);
        }
        Path temp = null;
        try {
            temp = Files.createTempDirectory(home, ".extract-");
            TarExtractor.Extracted extracted = TarExtractor.extract(tarball, temp);
            Path dir = temp.resolve(FOLDER);
            if (!Files.isDirectory(dir)) {
                throw new DatasetException(tarball + " has no " + FOLDER + "/ folder, so it is not the binary"
                        + " CIFAR-10 archive (the Python or MATLAB versions do not work here). Get "
                        + archive.name() + ".");
            }
            ImageData data = loadFolder(dir);
            if (!archive.md5().equalsIgnoreCase(extracted.archiveMd5())) {
                LOG.info("{} differs from the published archive (md5 {}), but every batch in it matches its"
                        + " published md5", tarball, extracted.archiveMd5());
            }
            Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            return new ImageData(data.metadata(), data.train(), data.test(), target.toString());
        } catch (IOException e) {
            // a temporary folder or a rename: the cache's disk, never the archive
            throw FileSystemErrors.storage("Cannot extract " + tarball + " into " + home, e,
                    "The archive itself is not at fault: keep it. " + extractYourself(tarball));
        } catch (DatasetStorageException e) {
            throw new DatasetStorageException(e.getMessage() + " " + extractYourself(tarball), e.getCause());
        } finally {
            deleteTree(temp);
        }
    }

    private static String extractYourself(Path tarball) {
        return "Or " + CacheFolder.MOVE_IT + ", or extract it yourself with 'tar xzf " + tarball
                + " -C DIR' and pass DIR with --data-dir.";
    }

    private ImageData loadFolder(Path dir) {
        List<String> classNames = classNames(dir);
        List<Path> trainPaths = new ArrayList<>();
        for (PublishedFile file : trainFiles) {
            trainPaths.add(dir.resolve(file.name()));
        }
        byte[][] train = readAll(trainPaths, trainFiles, classNames.size());
        byte[][] test = readAll(List.of(dir.resolve(testFile.name())), List.of(testFile), classNames.size());
        ChannelStatistics stats = ChannelStatistics.of(train[1], 3, 32 * 32);
        ImageMetadata metadata = new ImageMetadata(id, classNames, 3, 32, 32, stats.mean(), stats.std());
        return new ImageData(metadata, new ImageSplit(metadata, train[1], train[0]),
                new ImageSplit(metadata, test[1], test[0]), dir.toString());
    }

    /** Reads batch files into one labels array and one pixels array: {labels, pixels}. */
    private static byte[][] readAll(List<Path> paths, List<PublishedFile> published, int numClasses) {
        long total = 0;
        for (Path path : paths) {
            total += CifarBinaryFormat.recordCount(size(path), path.toString());
        }
        if (total * CifarBinaryFormat.IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new DatasetException("the CIFAR-10 files in " + paths.get(0).getParent() + " hold " + total
                    + " records, more than one Java array holds");
        }
        byte[] labels = new byte[(int) total];
        byte[] pixels = new byte[(int) total * CifarBinaryFormat.IMAGE_BYTES];
        int first = 0;
        for (int f = 0; f < paths.size(); f++) {
            Path path = paths.get(f);
            int start = first;
            long fileSize = size(path);
            first += VerifiedFileReader.read(path, published.get(f), in -> CifarBinaryFormat.read(
                    in, fileSize, path.toString(), numClasses, labels, pixels, start));
        }
        return new byte[][] {labels, pixels};
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            // it was there when the folder was chosen: it vanished since, or cannot be read
            throw FileSystemErrors.storage("Cannot read " + path, e, "Put the published CIFAR-10 batch there.");
        }
    }

    private List<String> classNames(Path dir) {
        Path meta = dir.resolve(META);
        if (!Files.isRegularFile(meta)) {
            LOG.info("{} has no {}; using the published class names", dir, META);
            return defaultClassNames;
        }
        try {
            return CifarBinaryFormat.classNames(Files.readString(meta, StandardCharsets.UTF_8), meta.toString(),
                    defaultClassNames.size());
        } catch (IOException e) {
            if (FileSystemErrors.isEnvironment(e)) {
                throw FileSystemErrors.storage("Cannot read " + meta, e, "The file itself may be intact: keep it.");
            }
            throw new DatasetException("could not read " + meta + " (" + e + "). Replace it with the published "
                    + META + " or delete it to use the published class names.", e);
        }
    }

    @Override
    public ImageData fetch(Path cacheDir, List<URI> mirrorList, Downloader downloader) throws MirrorsFailedException {
        Path home = CacheFolder.prepare(cacheDir, id);
        Path tarball = home.resolve(archive.name());
        List<String> failures = new ArrayList<>();
        AtomicReference<ImageData> loaded = new AtomicReference<>();
        for (URI mirror : mirrorList) {
            URI url = mirror.resolve(archive.name());
            try {
                // checking the download means extracting and reading it; keep what was read
                downloader.download(url, tarball, part -> loaded.set(extractAndLoad(part, home)));
                deleteQuietly(tarball);
                return loaded.get();
            } catch (DownloadException e) {
                failures.add(url + ": " + e.reason());
            } catch (DatasetStorageException e) {
                // the cache's disk: another mirror would fail the same way
                throw CacheFolder.advised(e);
            }
        }
        throw new MirrorsFailedException(failures);
    }

    @Override
    public List<String> filesToProvide() {
        List<String> lines = new ArrayList<>();
        lines.add(FOLDER + "/ with " + String.join(", ", allBatches().stream().map(PublishedFile::name).toList())
                + " and " + META + " (the content of " + archive.name() + ")");
        lines.add(archive.name() + "  (md5 " + archive.md5() + "), instead of the folder");
        return lines;
    }

    @Override
    public String toString() {
        return id.displayName() + " (binary)";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(CifarSource::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
