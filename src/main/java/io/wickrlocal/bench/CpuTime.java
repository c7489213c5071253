package io.wickrlocal.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Processor time used by a process, so that a report can say what one request costs the server and
 * the client in CPU: on a machine of two cores, that is what bounds throughput.
 */
final class CpuTime {
    /** Linux reports /proc times in clock ticks of 1/100 s on every platform the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuTime() {}

    /** This JVM's processor time so far, or -1 where the platform does not tell. */
    static long ownNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Another process's processor time (user plus system), read from /proc; empty off Linux or when it is gone. */
    static OptionalLong ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
