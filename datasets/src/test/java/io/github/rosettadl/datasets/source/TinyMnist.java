package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.files.Md5;
import io.github.rosettadl.datasets.files.PublishedFile;
import io.github.rosettadl.datasets.source.IdxSource;
import io.github.rosettadl.datasets.testing.Fixtures;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A 4x4 MNIST-format data set written by the tests: 6 train and 3 test images. */
final class TinyMnist {

    static final List<String> NAMES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    final byte[][] raw;
    final byte[][] gz;

    TinyMnist() {
        this(Fixtures.idxImages(6, 4, 4), Fixtures.idxLabels(5, 0, 4, 1, 9, 2), Fixtures.idxImages(3, 4, 4),
                Fixtures.idxLabels(7, 2, 1));
    }

    TinyMnist(byte[]... raw) {
        this.raw = raw;
        this.gz = new byte[4][];
        for (int i = 0; i < 4; i++) {
            gz[i] = Fixtures.gzip(raw[i], 9);
        }
    }

    /** The published files of this data set: gz md5 as published, raw md5 as content. */
    List<PublishedFile> published() {
        PublishedFile[] files = new PublishedFile[4];
        for (int i = 0; i < 4; i++) {
            files[i] = new PublishedFile(NAMES.get(i) + ".gz", Md5.of(gz[i]), Md5.of(raw[i]));
        }
        return List.of(files);
    }

    IdxSource source(List<URI> mirrors) {
        return new IdxSource(ImageDatasetId.MNIST, DIGITS, 4, 4, published(), mirrors, "MNIST");
    }

    IdxSource source() {
        return source(List.of());
    }

    /** Writes the gzipped files into {@code dir}, creating it. */
    Path writeGz(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve(NAMES.get(i) + ".gz"), gz[i]);
        }
        return dir;
    }

    /** Writes the un-gzipped files into {@code dir}, creating it. */
    Path writeRaw(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve(NAMES.get(i)), raw[i]);
        }
        return dir;
    }
}
