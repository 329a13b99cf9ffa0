package org.ciampack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * Checks a JWT's RS256 signature against the realm's published JWKS, as any relying party must: the key is
 * found by the token's {@code kid} among the realm's signing keys, nothing is trusted from the token itself.
 */
public final class IdTokenVerifier {

    private final JsonNode keys;

    private IdTokenVerifier(JsonNode keys) {
        this.keys = keys;
    }

    /** Reads the JWKS the realm's discovery document points at. */
    public static IdTokenVerifier forRealm(URI realmUrl) {
        JsonNode discovery = Http.getJson(URI.create(realmUrl + "/.well-known/openid-configuration"));
        return new IdTokenVerifier(Http.getJson(URI.create(discovery.get("jwks_uri").asText())).get("keys"));
    }

    /** Returns the verified token's claims; throws when the signature does not hold. */
    public JsonNode verify(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new SecurityException("not a signed JWT");
        }
        JsonNode header = Http.json(decode(parts[0]));
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new SecurityException("unexpected algorithm " + header.path("alg"));
        }
        PublicKey key = signingKey(header.path("kid").asText());
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new SecurityException("signature does not match the realm's key " + header.path("kid").asText());
            }
        } catch (GeneralSecurityException e) {
            throw new SecurityException("signature check failed", e);
        }
        return Http.json(decode(parts[1]));
    }

    private PublicKey signingKey(String kid) {
        for (JsonNode key : keys) {
            if (kid.equals(key.path("kid").asText()) && "RSA".equals(key.path("kty").asText())
                    && "sig".equals(key.path("use").asText("sig"))) {
                try {
                    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())),
                            new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText()))));
                } catch (GeneralSecurityException e) {
                    throw new SecurityException("unusable JWK " + kid, e);
                }
            }
        }
        throw new SecurityException("no RSA signing key '" + kid + "' in the realm's JWKS");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
