package io.wickrlocal.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.service.FieldProblem;
import io.wickrlocal.service.Json;
import java.util.List;

/**
 * An error as the AWS clients read it: a status, the error's name (sent in x-amzn-ErrorType),
 * and a JSON body with {@code message} (plus {@code reasons} for validation errors). Made from a row of
 * {@link ProtocolError}, the one table of statuses and types.
 */
public record WireError(int status, String type, String message, List<FieldProblem> reasons) {

    public byte[] body() {
        ObjectNode body = Json.object();
        body.put("message", message);
        if (!reasons.isEmpty()) {
            ArrayNode list = body.putArray("reasons");
            for (FieldProblem p : reasons) {
                ObjectNode r = list.addObject();
                r.put("field", p.field());
                r.put("reason", p.reason());
            }
        }
        return Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
