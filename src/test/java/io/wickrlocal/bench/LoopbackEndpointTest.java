package io.wickrlocal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackEndpointTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:8484",
        "http://127.0.0.1:8484/",
        "http://127.255.3.9:1",
        "https://127.0.0.1",
        "HTTP://127.0.0.1:8484",
        "http://localhost:8484",
        "http://LocalHost",
        "http://[::1]:8484",
        "http://[0:0:0:0:0:0:0:1]",
    })
    void acceptsThisMachine(String endpoint) {
        assertThat(LoopbackEndpoint.require(endpoint).getHost()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://10.0.0.1:8484",
        "http://192.168.1.10",
        "http://0.0.0.0:8484",
        "http://128.0.0.1",
        "http://admin.wickr.us-east-1.amazonaws.com",
        "http://example.com",
        "http://127.0.0.1.nip.io",
        "http://localhost.example.com",
        "http://127.1",
        "http://2130706433",
        "http://0x7f000001",
        "http://0177.0.0.1",
        "http://127.0.0.256",
        "http://[::2]",
        "http://[::]:8484",
        "http://[::ffff:8.8.8.8]",
        "http://[fe80::1]",
    })
    void refusesAnythingElse(String endpoint) {
        assertThatThrownBy(() -> LoopbackEndpoint.require(endpoint))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to send load to")
                .hasMessageContaining("127.0.0.0/8, ::1 or localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://127.0.0.1",
        "127.0.0.1:8484",
        "http://",
        "http://127.0.0.1:8484/networks",
        "http://127.0.0.1:8484?x=1",
        "not a url",
    })
    void refusesWhatIsNotABaseUrl(String endpoint) {
        assertThatThrownBy(() -> LoopbackEndpoint.require(endpoint)).isInstanceOf(IllegalArgumentException.class);
    }
}
