package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.InputValidator;
import io.wickrlocal.protocol.contract.OutputShaper;
import io.wickrlocal.protocol.contract.ServiceContract;
import java.util.List;

/** The snapshot operations as the protocol layer runs them: outputs shaped, inputs validated by the contract. */
final class SnapshotWire {
    static final ServiceContract CONTRACT = ServiceContract.load();

    private SnapshotWire() {}

    /** GET /_local/snapshot: the document as text, as a client receives it. */
    static String export(ServiceFixture f, Call call, boolean allAccounts, String passphrase) {
        ObjectNode in = Json.object();
        if (allAccounts) {
            in.put("allAccounts", true);
        }
        if (passphrase != null) {
            in.put("passphrase", passphrase);
        }
        ObjectNode out = f.invoke("LocalExportSnapshot", allAccounts ? ServiceFixture.operator(call) : call, in);
        return Json.write(OutputShaper.shape(CONTRACT.operation("LocalExportSnapshot").output(), out));
    }

    /** POST /_local/snapshot with the document as body; a contract violation is a 422 as on the wire. */
    static ObjectNode importDocument(ServiceFixture f, Call call, String document, boolean allAccounts,
                                     String passphrase) {
        ObjectNode in = (ObjectNode) Json.read(document);
        if (allAccounts) {
            in.put("allAccounts", true);
        }
        if (passphrase != null) {
            in.put("passphrase", passphrase);
        }
        List<FieldProblem> problems = InputValidator.validate(CONTRACT.operation("LocalImportSnapshot").input(), in);
        if (!problems.isEmpty()) {
            throw new ServiceException(ErrorKind.VALIDATION, "invalid: " + problems, problems);
        }
        return f.invoke("LocalImportSnapshot", allAccounts ? ServiceFixture.operator(call) : call, in);
    }
}
