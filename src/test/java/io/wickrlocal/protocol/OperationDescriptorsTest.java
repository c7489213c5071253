package io.wickrlocal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.sigv4.CredentialStore;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.service.Call;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.OperationDescriptor;
import io.wickrlocal.service.OperationDescriptor.Audit;
import io.wickrlocal.service.OperationDescriptor.Transaction;
import io.wickrlocal.service.OperationTable;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.SqliteDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operation descriptors the protocol serves, held to the contract (see {@link OperationDescriptor}). */
class OperationDescriptorsTest {
    private static final ServiceContract CONTRACT = ServiceContract.load();
    private static SqliteDatabase database;
    private static OperationTable table;

    @BeforeAll
    static void build() {
        database = SqliteDatabase.inMemory();
        WickrService service = new WickrService(database, Clock.systemUTC());
        table = new RestJsonProtocol(CONTRACT, new SigV4Verifier(CredentialStore.defaults(), Clock.systemUTC(),
                CONTRACT.signingName()), service, new FaultInjector(List.of()), null, Readiness.ALWAYS).operations();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void everyOperationOfTheContractHasADescriptorAndEveryDescriptorAnOperation() {
        List<String> contract = CONTRACT.operations().stream().map(Operation::name).toList();
        assertThat(contract).as("operations of the contract without a descriptor")
                .allSatisfy(name -> assertThat(table.get(name)).as(name).isNotNull());
        assertThat(table.names()).as("descriptors naming no operation of the contract")
                .allSatisfy(name -> assertThat(contract).contains(name));
    }

    /** Faults and the throttle act on the Wickr contract's operations, never on Wickr Local's own /_local ones. */
    @Test
    void faultsApplyExactlyToTheOperationsOfTheWickrContract() {
        for (Operation op : CONTRACT.operations()) {
            assertThat(table.get(op.name()).faults()).as(op.name()).isEqualTo(!op.extension());
        }
    }

    /** A read is bound to GET; what changes state is not (the name rule: Get..., List..., Export...). */
    @Test
    void theReadsAreTheOperationsBoundToGet() {
        for (Operation op : CONTRACT.operations()) {
            OperationDescriptor d = table.get(op.name());
            if ("GET".equals(op.method())) {
                assertThat(d.audit()).as(op.name()).isEqualTo(Audit.NONE);
                assertThat(op.name().replaceFirst("^Local", "")).as(op.name()).matches("(Get|List|Export).*");
            } else if (d.reachesStore() && !op.name().equals("LocalReset")) {
                assertThat(d.audit()).as(op.name()).isNotEqualTo(Audit.NONE);
            }
        }
    }

    @Test
    void theParticularOperationsSayWhatIsParticularAboutThem() {
        Map<String, String> particular = new TreeMap<>();
        for (OperationDescriptor d : table.all()) {
            if (d.transaction() != Transaction.PLAIN || d.audit() == Audit.PER_USER) {
                particular.put(d.name(), d.transaction() + " " + d.audit());
            }
        }
        assertThat(particular).isEqualTo(new TreeMap<>(Map.of(
                "BatchToggleUserSuspendStatus", "ROW_LOCKING PER_USER",
                "BatchCreateUser", "QUEUED_PER_ACCOUNT PER_USER",
                "BatchDeleteUser", "PLAIN PER_USER",
                "BatchReinviteUser", "PLAIN PER_USER",
                "LocalGetFaults", "NONE NONE",
                "LocalPutFaults", "NONE NONE",
                "LocalAddFaults", "NONE NONE",
                "LocalClearFaults", "NONE NONE")));
        assertThat(table.get("LocalReset").audit()).isEqualTo(Audit.NONE);
    }

    @Test
    void theAccessActionIsTheOperationAndTheResourceTheNetworkItNames() {
        Call call = new Call("111122223333", "eu-west-1", "key", "req");
        OperationDescriptor get = table.get("GetNetwork");
        ObjectNode in = Json.object();
        in.put("networkId", "12345678");
        assertThat(get.action()).isEqualTo("wickr:GetNetwork");
        assertThat(get.resource(call, in)).isEqualTo("arn:aws:wickr:eu-west-1:111122223333:network/12345678");
        assertThat(table.get("ListNetworks").resource(call, Json.object())).isEqualTo("*");
    }
}
