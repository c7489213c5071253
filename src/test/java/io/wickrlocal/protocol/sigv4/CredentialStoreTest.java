package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialStoreTest {

    @Test
    void defaultsHoldTheSingleTestPairAsTheOperator() {
        CredentialStore store = CredentialStore.defaults();

        assertThat(store.all()).containsExactly(new Credential("test", "test", "000000000000", true));
        assertThat(store.find("test")).contains(new Credential("test", "test", "000000000000").asOperator());
        assertThat(store.find("TEST")).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @Test
    void credentialToStringHidesTheSecret() {
        Credential credential = new Credential("AKIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "123456789012");

        assertThat(credential.toString())
                .contains("AKIAEXAMPLE", "123456789012")
                .doesNotContain("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        assertThat(CredentialStore.of(List.of(credential)).toString()).doesNotContain("wJalr");
    }

    @Test
    void ofCopiesItsInputAndKeepsOrder() {
        List<Credential> input = new ArrayList<>(List.of(
                new Credential("b", "sb", "111111111111"), new Credential("a", "sa", "222222222222")));
        CredentialStore store = CredentialStore.of(input);
        input.clear();

        assertThat(store.all()).extracting(Credential::accessKeyId).containsExactly("b", "a");
        assertThat(store.find("a")).map(Credential::accountId).contains("222222222222");
        assertThatThrownBy(() -> store.all().add(new Credential("c", "sc", "3")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void duplicateAccessKeysAreRejected() {
        assertThatThrownBy(() -> CredentialStore.of(List.of(
                new Credential("a", "one", "111111111111"), new Credential("a", "two", "222222222222"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("one")
                .hasMessageNotContaining("two");
    }

    @Test
    void blankPartsAreRejected() {
        assertThatThrownBy(() -> new Credential("a", " ", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Credential(null, "s", "1")).isInstanceOf(NullPointerException.class);
    }
}
