package dev.otpgate.snapstart;

import java.lang.management.ManagementFactory;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import io.quarkus.runtime.StartupEvent;

/**
 * Logs at start which JIT compilers the JVM runs with, so that an operator can read on Lambda what the function
 * really got: Lambda's java17 and java21 runtimes stop tiered compilation at level 1 (C1 only) by default, which the
 * SnapStart priming is tuned for (bench/BENCHMARKS.md: C2 was measured and was worse), and java25 keeps C2 on for
 * SnapStart functions. The line gives the flag's value in effect and where it came from ({@code environment}:
 * JAVA_TOOL_OPTIONS; {@code command line}: the runtime's own launch, which wins over JAVA_TOOL_OPTIONS), e.g.
 * {@code JIT: TieredStopAtLevel=1 (from command line), TieredCompilation=true: C1 only}. Nothing is logged in the
 * native executable (no JIT). With SnapStart the line is in the init (snapshot) phase's log.
 */
@Singleton
public class JitLevel {

    private static final Logger LOG = Logger.getLogger(JitLevel.class);

    void atStart(@Observes StartupEvent start) {
        String line = describe();
        if (line != null) {
            LOG.info(line);
        }
    }

    /** The log line, or null in a native executable or on a JVM without HotSpot's diagnostic bean. */
    static String describe() {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            return null;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return null;
            }
            VMOption level = hotspot.getVMOption("TieredStopAtLevel");
            VMOption tiered = hotspot.getVMOption("TieredCompilation");
            return describe(level.getValue(), origin(level.getOrigin()), Boolean.parseBoolean(tiered.getValue()));
        } catch (RuntimeException | LinkageError e) {
            return "JIT: level unknown (" + e + ")";
        }
    }

    static String describe(String level, String origin, boolean tiered) {
        String compilers;
        if (!tiered) {
            compilers = "C2 only (no tiers)";
        } else {
            compilers = switch (level) {
                case "0" -> "interpreter only";
                case "1", "2", "3" -> "C1 only";
                default -> "C1 and C2";
            };
        }
        return "JIT: TieredStopAtLevel=" + level + " (from " + origin + "), TieredCompilation=" + tiered + ": "
                + compilers;
    }

    private static String origin(VMOption.Origin origin) {
        return switch (origin) {
            case ENVIRON_VAR -> "environment";
            case VM_CREATION -> "command line";
            case DEFAULT -> "JVM default";
            case CONFIG_FILE -> "flags file";
            case ERGONOMIC -> "ergonomics";
            default -> origin.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
