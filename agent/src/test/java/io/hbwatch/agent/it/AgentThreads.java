package io.hbwatch.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The agent's threads in a running JVM, seen from outside through {@code /proc/PID/task/}*{@code /comm} (Linux). */
final class AgentThreads {
    private AgentThreads() {}

    /** Sorted names of the threads whose name starts {@code hbwatch-}. */
    static List<String> of(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            return tasks.map(AgentThreads::comm)
                    .filter(n -> n.startsWith("hbwatch-"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /**
     * The agent's threads once it has started: its start-up thread, {@code hbwatch-main}, ends after
     * the last part has started, which is after the port file is written. These are the threads
     * that stay, to compare with later.
     */
    static List<String> settled(long pid) {
        return org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> of(pid), names -> !names.contains("hbwatch-main"));
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }
}
