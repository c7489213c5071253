package io.wickrlocal.store;

/**
 * A network's OpenTDF provider settings. The client secret is stored encrypted ({@link OpenTdfConfigStore});
 * {@link #toString()} leaves it out.
 */
public record OpenTdfConfigRecord(String networkId, String clientId, String clientSecret, String domain,
                                  String provider, long modifiedAt) {
    @Override
    public String toString() {
        return "OpenTdfConfigRecord[networkId=" + networkId + ", clientId=" + clientId + ", clientSecret=(hidden)"
                + ", domain=" + domain + ", provider=" + provider + ", modifiedAt=" + modifiedAt + "]";
    }
}
