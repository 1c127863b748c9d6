package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The relaunched child gets the launcher's collector flags unless the user chose their own. */
class AllocatorRelaunchTest {

    @Test
    void childGetsTheLauncherFlagsUnlessTheParentChoseACollector() {
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmn32m"), AllocatorRelaunch.jvmFlags(List.of("-Xmx2g")));
        assertEquals(List.of(), AllocatorRelaunch.jvmFlags(List.of("-XX:+UseG1GC")));
        assertEquals(List.of(), AllocatorRelaunch.jvmFlags(List.of("-Xmn256m")));
    }

    @Test
    void commandRunsTheSameMainClassWithTheSameArguments() {
        List<String> command = AllocatorRelaunch.command(RosettaCli.class, new String[] {"bench", "--model", "mlp"});
        assertEquals(List.of(RosettaCli.class.getName(), "bench", "--model", "mlp"),
                command.subList(command.size() - 4, command.size()));
        assertTrue(command.indexOf("-cp") > 0, command.toString());
    }
}
