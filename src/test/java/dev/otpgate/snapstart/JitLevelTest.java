package dev.otpgate.snapstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/** The start line that tells an operator which JIT compilers the function's JVM runs (JitLevel). */
class JitLevelTest {

    @Test
    void namesTheCompilersForEachLevel() {
        assertEquals("JIT: TieredStopAtLevel=1 (from command line), TieredCompilation=true: C1 only",
                JitLevel.describe("1", "command line", true));
        assertEquals("JIT: TieredStopAtLevel=4 (from environment), TieredCompilation=true: C1 and C2",
                JitLevel.describe("4", "environment", true));
        assertTrue(JitLevel.describe("4", "JVM default", false).endsWith("C2 only (no tiers)"));
    }

    @Test
    void readsThisJvmsFlagAndItsOrigin() {
        String line = JitLevel.describe();
        String expected = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:TieredStopAtLevel=")).reduce((a, b) -> b)
                .map(a -> a.substring("-XX:".length())).orElse("TieredStopAtLevel=4");
        assertTrue(line.startsWith("JIT: " + expected + " (from "), line);
    }
}
