package io.wickrlocal.protocol.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** One shape of the contract, resolved: members point at their target shapes. */
public final class Shape {
    private final String name;
    private final ShapeType type;
    final Map<String, Member> members = new LinkedHashMap<>();
    Shape listMember;
    Set<String> required = Set.of();
    Limits limits = Limits.NONE;
    Pattern pattern;
    String patternSource;
    List<String> enumValues = List.of();
    boolean sensitive;
    Integer errorStatus;
    String timestampFormat;
    String payload;
    String mediaType;

    Shape(String name, ShapeType type) {
        this.name = name;
        this.type = type;
    }

    public String name() { return name; }
    public ShapeType type() { return type; }
    public Map<String, Member> members() { return Collections.unmodifiableMap(members); }
    public Member member(String memberName) { return members.get(memberName); }
    public Shape listMember() { return listMember; }
    public Set<String> required() { return required; }
    public Limits limits() { return limits; }
    public Pattern pattern() { return pattern; }
    public String patternSource() { return patternSource; }
    public List<String> enumValues() { return enumValues; }
    public boolean sensitive() { return sensitive; }
    public boolean isError() { return errorStatus != null; }
    /** The HTTP status of an error shape. */
    public int errorStatus() { return errorStatus == null ? 500 : errorStatus; }
    public String timestampFormat() { return timestampFormat; }
    /**
     * For an output structure, the member that is the whole response body instead of a JSON document
     * (a text member, written as it is), or null.
     */
    public String payload() { return payload; }
    /** The media type of a text shape sent as a payload, or null. */
    public String mediaType() { return mediaType; }

    @Override
    public String toString() { return name; }
}
