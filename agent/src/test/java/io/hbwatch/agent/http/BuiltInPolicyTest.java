package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.HostPort;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in policy in code against the same policy as a file, {@code docs/jolokia-access.xml},
 * read by Jolokia's own {@code PolicyRestrictor}: every question Jolokia asks gets the same answer
 * from both, so the code and the documented file cannot drift apart; but the attributes that
 * reveal the command line, which the code refuses on top and the file cannot.
 */
class BuiltInPolicyTest {
    private static final Path FILE = Paths.get("..", "docs", "jolokia-access.xml");

    private static final String[] NAMES = {
        "hbwatch:type=Heartbeat",
        "hbwatch:type=Heartbeat,x=y",
        "hbwatch:type=Other",
        "hbwatch:name=a,type=b",
        "hbwatch:*",
        "hbwatch:type=*",
        "hbwatchx:type=Heartbeat",
        "HBWATCH:type=Heartbeat",
        "java.lang:type=Runtime",
        "java.lang:type=Memory",
        "java.lang:type=GarbageCollector,name=G1 Young Generation",
        "java.lang:*",
        "java.lang.x:type=Runtime",
        "java.nio:type=BufferPool,name=direct",
        "com.sun.management:type=DiagnosticCommand",
        "com.sun.management:type=HotSpotDiagnostic",
        "jdk.management.jfr:type=FlightRecorder",
        "jolokia:type=Config,qualifier=hbwatch",
        "JMImplementation:type=MBeanServerDelegate",
        "*:*",
        "*:type=Heartbeat",
    };
    private static final String[] MEMBERS = {
        "Status",
        "Sequence",
        "ping",
        "Ping",
        "ping ",
        "gc",
        "Uptime",
        "*",
        "",
        "a*b",
        "line\nbreak",
        "cr\rhere",
        "next\u0085line",
        "line\u2028separator",
        "paragraph\u2029separator",
        "tab\there",
        "\ud800lone surrogate",
        "dumpHeap",
        "jfrStart",
        "Verbose",
        "InputArguments",
        "SystemProperties",
        "ClassPath",
        "BootClassPath",
        "LibraryPath",
        "VmArguments",
        "DiagnosticOptions",
        "inputArguments",
    };
    private static final String[] ORIGINS = {
        null,
        "http://127.0.0.1:8778",
        "HTTP://127.0.0.1:8778",
        "http://127.0.0.1:8778/",
        "https://127.0.0.1:8778",
        "http://127.0.0.1:8779",
        "http://localhost:8778",
        "http://evil.example",
        "null",
        "",
        "*",
    };

    private static PolicyRestrictor file;
    private static final Restrictor code = new BuiltInPolicy();

    @BeforeAll
    static void readTheFile() throws Exception {
        assertTrue(Files.isRegularFile(FILE), FILE.toAbsolutePath() + " (tests run in the agent module)");
        try (InputStream in = Files.newInputStream(FILE)) {
            file = new PolicyRestrictor(in);
        }
    }

    @Test
    void answersEveryMBeanQuestionAsThePolicyFile() throws Exception {
        List<String> differ = new ArrayList<>();
        for (String n : NAMES) {
            ObjectName name = new ObjectName(n);
            for (String m : MEMBERS) {
                if (BuiltInPolicy.revealing(m)) {
                    // What the file cannot express (see its last comment): the code refuses it.
                    if (code.isAttributeReadAllowed(name, m)) {
                        differ.add("read " + n + " " + m + ": allowed, but it reveals the command line");
                    }
                } else {
                    compare(
                            differ,
                            "read " + n + " " + m,
                            file.isAttributeReadAllowed(name, m),
                            code.isAttributeReadAllowed(name, m));
                }
                compare(
                        differ,
                        "write " + n + " " + m,
                        file.isAttributeWriteAllowed(name, m),
                        code.isAttributeWriteAllowed(name, m));
                compare(
                        differ,
                        "exec " + n + " " + m,
                        file.isOperationAllowed(name, m),
                        code.isOperationAllowed(name, m));
            }
            compare(differ, "hidden " + n, file.isObjectNameHidden(name), code.isObjectNameHidden(name));
        }
        assertEquals(List.of(), differ);
    }

    @Test
    void answersEveryOtherQuestionAsThePolicyFile() {
        List<String> differ = new ArrayList<>();
        for (RequestType t : RequestType.values()) {
            compare(differ, "type " + t, file.isTypeAllowed(t), code.isTypeAllowed(t));
        }
        for (HttpMethod h : HttpMethod.values()) {
            compare(differ, "http " + h, file.isHttpMethodAllowed(h), code.isHttpMethodAllowed(h));
        }
        for (String origin : ORIGINS) {
            for (boolean strictOnly : new boolean[] {false, true}) {
                compare(
                        differ,
                        "origin " + origin + " " + strictOnly,
                        file.isOriginAllowed(origin, strictOnly),
                        code.isOriginAllowed(origin, strictOnly));
            }
        }
        for (String[] remote : new String[][] {{"127.0.0.1"}, {"localhost", "127.0.0.1"}, {"10.1.2.3"}, {"::1"}}) {
            compare(
                    differ,
                    "remote " + String.join(",", remote),
                    file.isRemoteAccessAllowed(remote),
                    code.isRemoteAccessAllowed(remote));
        }
        compare(differ, "ignoreScheme", file.ignoreScheme(), code.ignoreScheme());
        assertEquals(List.of(), differ);
    }

    /** The few answers that matter, spelled out (the comparison alone would pass two open policies). */
    @Test
    void allowsLivenessAndNothingElse() throws Exception {
        ObjectName heartbeat = new ObjectName("hbwatch:type=Heartbeat");
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        assertTrue(code.isAttributeReadAllowed(heartbeat, "Status"));
        assertTrue(code.isAttributeReadAllowed(memory, "HeapMemoryUsage"));
        assertTrue(code.isOperationAllowed(heartbeat, "ping"));
        assertTrue(code.isTypeAllowed(RequestType.VERSION));
        assertFalse(code.isTypeAllowed(RequestType.READ), "read only where the attribute check says");
        assertFalse(code.isTypeAllowed(RequestType.LIST));
        assertFalse(code.isTypeAllowed(RequestType.SEARCH));
        assertFalse(code.isAttributeWriteAllowed(heartbeat, "Status"));
        assertFalse(code.isOperationAllowed(memory, "gc"));
        assertFalse(code.isAttributeReadAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "x"));
        assertFalse(code.isOriginAllowed("http://evil.example", false));
    }

    @Test
    void isWhatTheSettingsAskForUnlessAPolicyFileIsGiven() throws Exception {
        HostPort where = new HostPort("127.0.0.1", 0);
        Map<String, String> builtIn = JolokiaSettings.of(ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0"), where);
        assertEquals(BuiltInPolicy.class.getName(), builtIn.get("restrictorClass"));
        assertFalse(builtIn.containsKey("policyLocation"));

        Map<String, String> own = JolokiaSettings.of(
                ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaPolicy=" + FILE.toAbsolutePath()), where);
        assertEquals(FILE.toAbsolutePath().toUri().toString(), own.get("policyLocation"));
        assertFalse(own.containsKey("restrictorClass"));
    }

    private static void compare(List<String> differ, String question, boolean fromFile, boolean fromCode) {
        if (fromFile != fromCode) {
            differ.add(question + ": file " + fromFile + ", code " + fromCode);
        }
    }
}
