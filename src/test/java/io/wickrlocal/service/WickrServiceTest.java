package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.FaultOperations;
import io.wickrlocal.store.SqliteDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class WickrServiceTest {

    /**
     * The service runs every operation of the contract but the /_local/faults ones, which act on the
     * server's memory and are described by the protocol layer (see OperationDescriptorsTest for the whole).
     */
    @Test
    void everyOperationOfTheContractButTheFaultOnesHasADescriptorInTheService() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            List<String> faultOperations = new FaultOperations(new FaultInjector(List.of()), null).descriptors()
                    .stream().map(OperationDescriptor::name).toList();
            assertThat(f.service.implementedOperations()).containsExactlyInAnyOrderElementsOf(
                    ServiceContract.load().operations().stream().map(Operation::name)
                            .filter(name -> !faultOperations.contains(name)).toList());
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
