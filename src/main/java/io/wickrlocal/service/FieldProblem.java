package io.wickrlocal.service;

/** What is wrong with one field of a request, e.g. ("userIds[3]", "must be 1 to 10 digits"). */
public record FieldProblem(String field, String reason) {}
