package cambench.harness.engine;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this process (all threads, user + system), for benchmarks on a shared machine: wall
 * time stretches with other processes' load, CPU time much less so (threads spinning at barriers
 * while a sibling waits for a core still count).
 */
public final class ProcessClock {
    private ProcessClock() {
    }

    /** Nanoseconds of CPU time used by this process so far; -1 where the JVM cannot tell. */
    public static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
