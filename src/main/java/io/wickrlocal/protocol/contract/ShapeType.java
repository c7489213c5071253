package io.wickrlocal.protocol.contract;

/** The kinds of shape the AWS JSON model uses. */
public enum ShapeType {
    STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, BOOLEAN, TIMESTAMP, DOUBLE, FLOAT, BLOB;

    static ShapeType of(String modelName) {
        return ShapeType.valueOf(modelName.toUpperCase(java.util.Locale.ROOT));
    }
}
