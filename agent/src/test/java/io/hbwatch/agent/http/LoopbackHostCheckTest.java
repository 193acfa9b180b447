package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackHostCheckTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:8778, true",
        "127.0.0.1, true",
        "localhost:8778, true",
        "LOCALHOST, true",
        "[::1]:8778, true",
        "10.1.2.3:8778, true",
        "attacker.example:8778, false",
        "127.0.0.1.nip.io:8778, false",
        "localhost.attacker.example, false",
    })
    void onlyAddressesAndLocalhost(String host, boolean allowed) {
        assertEquals(allowed, LoopbackHostCheck.allowed(host));
    }
}
