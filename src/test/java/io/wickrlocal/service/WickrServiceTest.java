package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.store.SqliteDatabase;
import org.junit.jupiter.api.Test;

class WickrServiceTest {

    @Test
    void everyOperationOfTheContractHasAHandler() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            for (Operation op : ServiceContract.load().operations()) {
                assertThat(f.service.isImplemented(op.name())).as(op.name()).isTrue();
            }
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
