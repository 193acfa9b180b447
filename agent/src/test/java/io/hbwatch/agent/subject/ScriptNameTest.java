package io.hbwatch.agent.subject;

import static io.hbwatch.agent.subject.ProcessSubjectTest.awaitStatus;
import static io.hbwatch.agent.subject.ProcessSubjectTest.beat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scripts watched by name: the rule on argument lists, and real {@code sh} scripts started both ways. */
class ScriptNameTest {
    @Test
    void interpretersByFileNameVersionedOrNot() {
        for (String s : List.of("sh", "dash", "bash", "python3", "python3.11", "perl", "perl5.36.0", "ruby", "node")) {
            assertTrue(ScriptName.isInterpreter(s), s);
        }
        for (String s : List.of("java", "sleep", "sshd", "shred", "nodemon", "python-config")) {
            assertFalse(ScriptName.isInterpreter(s), s);
        }
    }

    @Test
    void theScriptIsTheFirstArgumentThatIsNotAnOption() {
        assertEquals("worker.sh", ScriptName.of(List.of("worker.sh", "--pid-file", "x")));
        assertEquals("/opt/app.py", ScriptName.of(List.of("-u", "-B", "/opt/app.py", "serve")));
        assertEquals("-odd.sh", ScriptName.of(List.of("-x", "--", "-odd.sh")));
        assertNull(ScriptName.of(List.of()));
        assertNull(ScriptName.of(List.of("-i")));
        assertNull(ScriptName.of(List.of("-c", "sleep 60", "worker.sh")), "inline code, then $0");
        assertNull(ScriptName.of(List.of("-m", "http.server")), "a module, not a file");
        assertNull(ScriptName.of(List.of("-e", "print 1")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @EnabledOnOs(OS.LINUX)
    void aScriptByNameIsUpThenExited(boolean viaShebang, @TempDir Path dir) throws Exception {
        String name = "hbworker-" + Long.toHexString(System.nanoTime()) + ".sh";
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nwhile :; do sleep 1; done\n");
        assertTrue(script.toFile().setExecutable(true));
        Subject s = Subjects.process(name);
        assertEquals("not-found", beat(s).get("reason"));

        List<String> command = new ArrayList<>();
        if (!viaShebang) {
            command.add("sh");
        }
        command.add(script.toString());
        Process p = new ProcessBuilder(command).start();
        try {
            awaitStatus(s, "UP", null);
            assertEquals(p.pid(), beat(s).get("pid"));
            assertEquals(1L, beat(s).get("count"), "the script, not its sleep children");
            Signals.kill(p.pid());
            awaitStatus(s, "DOWN", "exited");
        } finally {
            p.destroyForcibly();
        }
    }
}
