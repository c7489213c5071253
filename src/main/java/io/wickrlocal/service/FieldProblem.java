package io.wickrlocal.service;

/** What is wrong with one field of a request: its path and a sentence that names it, e.g. ("userIds[3]", "userIds[3] must match the pattern ^[0-9]{1,10}$"). */
public record FieldProblem(String field, String reason) {}
