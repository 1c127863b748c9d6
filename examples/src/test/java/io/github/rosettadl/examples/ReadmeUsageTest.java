package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Keeps the README's library snippets true: the Java compiles, the XML names this version. */
class ReadmeUsageTest {

    private static final Path README = Path.of("..", "README.md");

    private static String fencedBlockAfter(String marker) throws IOException {
        String readme = Files.readString(README);
        int at = readme.indexOf(marker);
        assertTrue(at >= 0, "README.md has no " + marker + " block");
        Matcher block = Pattern.compile("```\\w*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(at), "no fenced block after " + marker);
        return block.group(1);
    }

    @Test
    void theJavaUsageCompilesAgainstCoreAndDatasets(@TempDir Path dir) throws IOException {
        String source = fencedBlockAfter("<!-- usage:java -->");
        Matcher className = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(className.find(), "the snippet declares no public class");
        Path file = dir.resolve(className.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK, not a JRE");
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString()),
                null, compiler.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        assertTrue(ok, "README snippet does not compile:\n" + diagnostics);
    }

    @Test
    void theDependencySnippetNamesThisVersionOfCoreAndDatasets() throws IOException {
        String xml = fencedBlockAfter("<!-- dependency:xml -->");
        String version = System.getProperty("project.version");
        assertNotNull(version, "surefire passes project.version");
        for (String artifact : List.of("rosetta-dl-core", "rosetta-dl-datasets")) {
            Pattern dependency = Pattern.compile("<groupId>io\\.github\\.rosettadl</groupId>\\s*<artifactId>"
                    + artifact + "</artifactId>\\s*<version>([^<]+)</version>");
            Matcher m = dependency.matcher(xml);
            assertTrue(m.find(), "no dependency on " + artifact + " in:\n" + xml);
            assertEquals(version, m.group(1), artifact + " version in README");
        }
    }
}
