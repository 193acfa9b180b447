package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkCountTest {
    private static int count(String body) {
        return BulkCount.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsTheObjectsOfATopLevelArray() {
        assertEquals(0, count("[]"));
        assertEquals(1, count("{\"type\":\"version\"}"));
        assertEquals(2, count(" [ {\"type\":\"read\",\"x\":{\"a\":[{}]}} , {\"type\":\"version\"} ] "));
    }

    @Test
    void bracesInsideStringsDoNotCount() {
        assertEquals(1, count("[{\"mbean\":\"a:b=}{{\\\"{\"}]"));
        assertEquals(2, count("[{\"s\":\"\\\\\"},{}]"));
    }
}
