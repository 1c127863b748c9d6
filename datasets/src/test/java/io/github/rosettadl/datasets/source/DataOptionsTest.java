package io.github.rosettadl.datasets.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.source.ImageDatasets;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Defaults from the environment, and immutable changes. */
class DataOptionsTest {

    private static Properties home(String home) {
        Properties p = new Properties();
        p.setProperty("user.home", home);
        return p;
    }

    @Test
    void defaultsFollowTheEnvironment() {
        DataOptions options = DataOptions.fromEnvironment(
                Map.of("ROSETTA_DATA_DIR", "/data/sets", "XDG_CACHE_HOME", "/var/cache/me"), home("/home/u"));

        assertNull(options.dataDir());
        assertEquals(Path.of("/data/sets"), options.environmentDataDir());
        assertEquals(Path.of("/var/cache/me/rosetta-dl"), options.cacheDir());
        assertEquals(List.of(Path.of("/usr/share/datasets")), options.systemDirs());
        assertFalse(options.offline());
    }

    @Test
    void cacheFallsBackToHomeWhenXdgIsUnsetOrRelative() {
        assertEquals(Path.of("/home/u/.cache/rosetta-dl"), DataOptions.fromEnvironment(Map.of(), home("/home/u")).cacheDir());
        assertEquals(Path.of("/home/u/.cache/rosetta-dl"),
                DataOptions.fromEnvironment(Map.of("XDG_CACHE_HOME", "relative/cache"), home("/home/u")).cacheDir());
        assertNull(DataOptions.fromEnvironment(Map.of("ROSETTA_DATA_DIR", " "), home("/h")).environmentDataDir());
    }

    @Test
    void offlineFromDjlVariableOrProperty() {
        assertTrue(DataOptions.fromEnvironment(Map.of("DJL_OFFLINE", "true"), home("/h")).offline());
        assertTrue(DataOptions.fromEnvironment(Map.of("DJL_OFFLINE", "TRUE"), home("/h")).offline());
        Properties props = home("/h");
        props.setProperty("ai.djl.offline", "true");
        assertTrue(DataOptions.fromEnvironment(Map.of(), props).offline());
        assertFalse(DataOptions.fromEnvironment(Map.of("DJL_OFFLINE", "false"), home("/h")).offline());
        // this test JVM runs with both set by surefire
        assertTrue(DataOptions.defaults().offline());
    }

    @Test
    void withersChangeOnlyTheCopy() {
        DataOptions base = DataOptions.fromEnvironment(Map.of(), home("/h"));
        ProgressSink silent = ProgressSink.silent();
        DataOptions changed = base.withDataDir(Path.of("/d")).withOffline(true).withCacheDir(Path.of("/c"))
                .withSystemDirs(List.of()).withProgress(silent).withEnvironmentDataDir(Path.of("/e"))
                .withMirrors(ImageDatasetId.MNIST, List.of(URI.create("http://127.0.0.1/m/")));

        assertNull(base.dataDir());
        assertFalse(base.offline());
        assertNull(base.mirrorOverride(ImageDatasetId.MNIST));
        assertEquals(Path.of("/d"), changed.dataDir());
        assertEquals(Path.of("/e"), changed.environmentDataDir());
        assertEquals(Path.of("/c"), changed.cacheDir());
        assertTrue(changed.offline());
        assertTrue(changed.systemDirs().isEmpty());
        assertSame(silent, changed.progress());
        assertEquals(List.of(URI.create("http://127.0.0.1/m/")), changed.mirrorOverride(ImageDatasetId.MNIST));
        assertNull(changed.mirrorOverride(ImageDatasetId.CIFAR10));
    }

    @Test
    void publishedMirrorsAreTheOfficialHosts() {
        assertEquals(URI.create("http://yann.lecun.com/exdb/mnist/"), ImageDatasets.publishedMirrors(ImageDatasetId.MNIST).get(0));
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/"), ImageDatasets.publishedMirrors(ImageDatasetId.CIFAR10).get(0));
        assertTrue(ImageDatasets.publishedMirrors(ImageDatasetId.FASHION_MNIST).get(0).getHost().startsWith("fashion-mnist"));
    }
}
