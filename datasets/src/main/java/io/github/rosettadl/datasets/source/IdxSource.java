package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.DownloadException;
import io.github.rosettadl.datasets.download.Downloader;
import io.github.rosettadl.datasets.files.ChecksumMismatchException;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.files.VerifiedFileReader;
import io.github.rosettadl.datasets.idx.IdxArray;
import io.github.rosettadl.datasets.idx.IdxReader;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST and Fashion-MNIST: four IDX files (train and test images and labels) with their original
 * names, gzipped or raw, in a data folder's {@code mnist/} or {@code fashion-mnist/} subfolder, in
 * torchvision's {@code MNIST/raw/} or {@code FashionMNIST/raw/}, or in the data folder itself.
 */
final class IdxSource implements ImageSource {

    private final ImageDatasetId id;
    private final List<String> classNames;
    private final int height;
    private final int width;
    private final List<PublishedFile> files;
    private final List<URI> mirrors;
    private final String torchvisionFolder;

    /**
     * Describes an IDX data set.
     *
     * @param files train images, train labels, test images, test labels, in that order
     */
    IdxSource(ImageDatasetId id, List<String> classNames, int height, int width, List<PublishedFile> files,
            List<URI> mirrors, String torchvisionFolder) {
        if (files.size() != 4) {
            throw new IllegalArgumentException("an IDX data set has 4 files, got " + files);
        }
        this.id = id;
        this.classNames = List.copyOf(classNames);
        this.height = height;
        this.width = width;
        this.files = List.copyOf(files);
        this.mirrors = List.copyOf(mirrors);
        this.torchvisionFolder = torchvisionFolder;
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
        String best = null;
        int bestCount = -1;
        // subfolders first: MNIST and Fashion-MNIST share file names, so a named folder is the surer match
        for (Path dir : List.of(root.resolve(id.cliName()), root.resolve(torchvisionFolder).resolve("raw"), root)) {
            List<String> missing = missingIn(dir);
            if (missing.isEmpty()) {
                return Lookup.folder(dir);
            }
            if (Files.isDirectory(dir) && files.size() - missing.size() > bestCount) {
                bestCount = files.size() - missing.size();
                best = dir + " lacks " + String.join(", ", missing);
            }
        }
        return Lookup.missing(bestCount > 0 ? best
                : "none of the " + id.displayName() + " files (in it, " + id.cliName() + "/ or "
                        + torchvisionFolder + "/raw/)");
    }

    private List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (PublishedFile file : files) {
            if (locate(dir, file) == null) {
                missing.add(file.name());
            }
        }
        return missing;
    }

    /** The copy of {@code file} in {@code dir}: raw first (no inflating), then gzipped; or null. */
    private static Path locate(Path dir, PublishedFile file) {
        String raw = file.uncompressedName();
        // some re-distributions write train-images.idx3-ubyte with a dot
        String dotted = raw.replace("-idx", ".idx");
        for (String name : List.of(raw, raw + ".gz", dotted, dotted + ".gz")) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public ImageData load(Lookup found, Path cacheDir) {
        Path dir = found.dir();
        IdxArray trainImages = read(dir, files.get(0), 3);
        IdxArray trainLabels = read(dir, files.get(1), 1);
        IdxArray testImages = read(dir, files.get(2), 3);
        IdxArray testLabels = read(dir, files.get(3), 1);
        ChannelStatistics stats = ChannelStatistics.of(trainImages.data(), 1, height * width);
        ImageMetadata metadata = new ImageMetadata(id, classNames, 1, height, width, stats.mean(), stats.std());
        return new ImageData(metadata, split(metadata, dir, trainImages, trainLabels, 0),
                split(metadata, dir, testImages, testLabels, 2), dir.toString());
    }

    private IdxArray read(Path dir, PublishedFile file, int rank) {
        Path path = locate(dir, file);
        if (path == null) {
            throw new DatasetException("missing file " + dir.resolve(file.name()) + ": put the published "
                    + file.name() + " (gzipped or not) there");
        }
        IdxArray array;
        try {
            array = VerifiedFileReader.read(path, file, in -> IdxReader.read(in, path.toString(), rank));
        } catch (ChecksumMismatchException e) {
            if (dir.getFileName() != null && dir.getFileName().toString().equals(id.cliName())) {
                throw e;
            }
            throw new ChecksumMismatchException(e.getMessage() + " MNIST and Fashion-MNIST use the same file names:"
                    + " keep each in its own subfolder, mnist/ or fashion-mnist/.");
        }
        if (rank == 3 && (array.dims()[1] != height || array.dims()[2] != width)) {
            throw new DatasetException(path + " holds " + array.dims()[1] + "x" + array.dims()[2] + " images, but "
                    + id.displayName() + "'s are " + height + "x" + width + ". Replace it with the published "
                    + file.name() + ".");
        }
        return array;
    }

    private ImageSplit split(ImageMetadata metadata, Path dir, IdxArray images, IdxArray labels, int first) {
        Path imagesPath = locate(dir, files.get(first));
        Path labelsPath = locate(dir, files.get(first + 1));
        if (images.count() != labels.count()) {
            throw new DatasetException(imagesPath + " has " + images.count() + " images but " + labelsPath + " has "
                    + labels.count() + " labels; they must be the matching pair of published files ("
                    + files.get(first).name() + ", " + files.get(first + 1).name() + ").");
        }
        byte[] values = labels.data();
        for (int i = 0; i < values.length; i++) {
            if ((values[i] & 0xFF) >= classNames.size()) {
                throw new DatasetException(labelsPath + ": label " + i + " is " + (values[i] & 0xFF) + ", but "
                        + id.displayName() + " has classes 0 to " + (classNames.size() - 1)
                        + ". Replace it with the published " + files.get(first + 1).name() + ".");
            }
        }
        return new ImageSplit(metadata, images.data(), values);
    }

    @Override
    public ImageData fetch(Path cacheDir, List<URI> mirrorList, Downloader downloader) throws MirrorsFailedException {
        Path home = CacheFolder.prepare(cacheDir, id);
        List<String> failures = new ArrayList<>();
        for (PublishedFile file : files) {
            if (locate(home, file) == null && !fetchOne(home, file, mirrorList, downloader, failures)) {
                throw new MirrorsFailedException(failures);
            }
        }
        return load(Lookup.folder(home), cacheDir);
    }

    private static boolean fetchOne(Path home, PublishedFile file, List<URI> mirrorList, Downloader downloader,
            List<String> failures) {
        for (URI mirror : mirrorList) {
            URI url = mirror.resolve(file.name());
            try {
                downloader.download(url, home.resolve(file.name()), part -> VerifiedFileReader.verify(part, file));
                return true;
            } catch (DownloadException e) {
                failures.add(url + ": " + e.reason());
            } catch (DatasetStorageException e) {
                throw CacheFolder.advised(e);
            }
        }
        return false;
    }

    @Override
    public List<String> filesToProvide() {
        List<String> lines = new ArrayList<>();
        for (PublishedFile file : files) {
            lines.add(id.cliName() + "/" + file.name() + "  (md5 " + file.md5() + "; or un-gzipped as "
                    + file.uncompressedName() + ")");
        }
        return lines;
    }

    @Override
    public String toString() {
        return id.displayName() + " (IDX)";
    }
}
