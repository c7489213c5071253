package io.wickrlocal.service;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM CA certificate(s) an administrator gives for a provider with a private or self-signed
 * certificate. When given, they are the only roots trusted for that provider: the point is to
 * pin the enterprise CA, not to widen the JVM's trust store.
 */
final class OidcCaCertificate {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private final List<X509Certificate> certificates;

    private OidcCaCertificate(List<X509Certificate> certificates) {
        this.certificates = certificates;
    }

    /** Parses one or more PEM certificates; anything else is the caller's mistake (422 on the member). */
    static OidcCaCertificate parse(String member, String pem) {
        if (pem == null || !pem.contains(BEGIN)) {
            throw ServiceException.invalid(member, "must be a PEM certificate starting with " + BEGIN);
        }
        Collection<? extends Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            // The parser's own messages describe DER internals; the administrator needs only this.
            throw ServiceException.invalid(member, "is not a readable PEM X.509 certificate");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : parsed) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw ServiceException.invalid(member, "contains no certificate");
        }
        return new OidcCaCertificate(List.copyOf(out));
    }

    List<X509Certificate> certificates() {
        return certificates;
    }

    /** A TLS context that trusts exactly these certificates. */
    SSLContext sslContext() {
        try {
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                roots.setCertificateEntry("ca" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(roots);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not build a TLS context for the given CA certificate", e);
        }
    }
}
