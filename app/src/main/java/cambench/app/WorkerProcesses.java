package cambench.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reproduce --workers N}: starts N worker processes of this same JVM command (java binary,
 * JVM options, class path) on one store, prints their output line by line prefixed with the
 * worker's id ({@code [w1] ...}), and waits for all of them.
 */
final class WorkerProcesses {
    private WorkerProcesses() {
    }

    /** The command line that starts this program again: java, its JVM options and class path, main class. */
    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    /**
     * Runs {@code n} workers with {@code args} (each also gets {@code --worker-id wI}) and waits.
     *
     * @return 0 when every worker exited 0, else the largest exit code
     */
    static int run(int n, List<String> args, PrintStream log) throws IOException {
        List<Process> processes = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Thread stopper = new Thread(() -> processes.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(stopper);
        for (int i = 1; i <= n; i++) {
            String id = "w" + i;
            List<String> cmd = javaCommand();
            cmd.add("reproduce");
            cmd.addAll(args);
            cmd.add("--worker-id");
            cmd.add(id);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            processes.add(p);
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        synchronized (log) {
                            log.println("[" + id + "] " + line);
                        }
                    }
                } catch (IOException e) {
                    // the worker's output closed early: its exit code tells
                }
            }, "worker-output-" + id);
            pump.start();
            pumps.add(pump);
        }
        int worst = 0;
        try {
            for (int i = 0; i < n; i++) {
                int code = processes.get(i).waitFor();
                pumps.get(i).join();
                if (code != 0) {
                    log.println("cambench: worker w" + (i + 1) + " exited with code " + code);
                }
                worst = Math.max(worst, code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(Process::destroy);
            throw new IllegalStateException("interrupted while waiting for workers", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return worst;
    }
}
