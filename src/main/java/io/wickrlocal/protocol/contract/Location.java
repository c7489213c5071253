package io.wickrlocal.protocol.contract;

/** Where a member travels on the wire. */
public enum Location {
    URI, QUERY, HEADER, BODY;

    static Location of(String modelName) {
        if (modelName == null) {
            return BODY;
        }
        switch (modelName) {
            case "uri": return URI;
            case "querystring": return QUERY;
            case "header": return HEADER;
            default: throw new IllegalArgumentException("unsupported member location " + modelName);
        }
    }
}
