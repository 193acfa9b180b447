package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1, 127.0.0.1:7777",
        "::1, ::1, [::1]:7777",
        "0:0:0:0:0:0:0:0, ::, [::]:7777",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1, [2001:db8::1:0:0:1]:7777",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]:7777",
        "fe80:0:0:0:0:0:0:1, fe80::1, [fe80::1]:7777",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3, [1:0:0:2::3]:7777",
    })
    void printsAddressesAsRfc5952Writes(String address, String host, String hostPort) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertEquals(host, Addresses.host(a));
        assertEquals(hostPort, Addresses.hostPort(a, 7777));
    }
}
