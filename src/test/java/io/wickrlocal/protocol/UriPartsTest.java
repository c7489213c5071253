package io.wickrlocal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UriPartsTest {

    @Test
    void pathSegmentsArePercentDecodedOneByOne() throws Exception {
        assertThat(UriParts.pathSegments("/networks/12345678/users")).containsExactly("networks", "12345678", "users");
        assertThat(UriParts.pathSegments("/a%2Fb/c%20d/")).containsExactly("a/b", "c d");
        assertThat(UriParts.pathSegments("/caf%C3%A9/\u00e9\ud83d\ude00")).containsExactly("caf\u00e9", "\u00e9\ud83d\ude00");
        assertThat(UriParts.pathSegments("/")).isEmpty();
        assertThat(UriParts.pathSegments("//x")).containsExactly("", "x");
    }

    @Test
    void queryKeepsPlusLiterallyAndEveryValue() throws Exception {
        assertThat(UriParts.query("sortFields=username+status&x=1&x=2&flag"))
                .containsEntry("sortFields", List.of("username+status"))
                .containsEntry("x", List.of("1", "2"))
                .containsEntry("flag", List.of(""));
        assertThat(UriParts.query("name=a%20b%2Bc")).containsEntry("name", List.of("a b+c"));
    }

    @Test
    void malformedEscapesAndInvalidUtf8AreRefused() {
        assertThatThrownBy(() -> UriParts.decode("%ZZ")).isInstanceOf(UriParts.MalformedUri.class);
        assertThatThrownBy(() -> UriParts.decode("abc%4")).isInstanceOf(UriParts.MalformedUri.class);
        assertThatThrownBy(() -> UriParts.decode("%C3%28")).isInstanceOf(UriParts.MalformedUri.class);
        assertThatThrownBy(() -> UriParts.decode("%FF")).isInstanceOf(UriParts.MalformedUri.class);
    }
}
