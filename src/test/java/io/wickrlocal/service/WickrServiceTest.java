package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.faults.FaultOperations;
import io.wickrlocal.store.SqliteDatabase;
import org.junit.jupiter.api.Test;

class WickrServiceTest {

    /** The /_local/faults operations act on the server's memory and are served by the protocol layer. */
    @Test
    void everyOperationOfTheContractHasAHandler() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            for (Operation op : ServiceContract.load().operations()) {
                boolean servedByProtocol = op.extension() && FaultOperations.NAMES.contains(op.name());
                assertThat(f.service.isImplemented(op.name()) || servedByProtocol).as(op.name()).isTrue();
            }
        }
    }

    /** The operations that hash or check a password, derive a key, or ask an identity provider. */
    @Test
    void theOperationsWithSlowWorkDoItBeforeTheirTransaction() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            assertThat(f.service.implementedOperations().stream().filter(f.service::worksBefore))
                    .containsExactlyInAnyOrder("CreateBot", "UpdateBot", "LocalBotSignIn",
                            "CreateDataRetentionBotChallenge", "LocalDataRetentionBotSignIn", "RegisterOidcConfigTest",
                            "LocalExportSnapshot", "LocalImportSnapshot");
            assertThatThrownBy(() -> f.service.transaction(tx -> f.service.invokeWithin(tx, "CreateBot", f.call,
                    Json.object())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("prepare it first");
        }
    }

    @Test
    void anOperationWithoutAHandlerIsRefusedByName() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            assertThatThrownBy(() -> f.invoke("NoSuchOperation", Json.object()))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("NoSuchOperation").contains("not implemented");
                    });
        }
    }
}
