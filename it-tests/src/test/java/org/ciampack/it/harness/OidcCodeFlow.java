package org.ciampack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenID Connect relying party doing the authorization code flow with PKCE against a realm, the way a
 * browser would carry it (cookies, the login form), without a browser: fast enough for many logins per test.
 */
public final class OidcCodeFlow {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI realmUrl;
    private final String clientId;
    private final URI redirectUri;
    private final BrowserLikeCookies cookies;
    private final HttpClient client;

    private final Map<String, String> headers = new LinkedHashMap<>();

    public OidcCodeFlow(URI realmUrl, String clientId, URI redirectUri) {
        this(realmUrl, clientId, redirectUri, new BrowserLikeCookies());
    }

    private OidcCodeFlow(URI realmUrl, String clientId, URI redirectUri, BrowserLikeCookies cookies) {
        this.realmUrl = realmUrl;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        this.cookies = cookies;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * The same browser, its cookies and headers, at another address of the realm: another node of a cluster on
     * this host (cookies do not depend on the port, as in a browser).
     */
    public OidcCodeFlow at(URI otherRealmUrl) {
        OidcCodeFlow other = new OidcCodeFlow(otherRealmUrl, clientId, redirectUri, cookies);
        other.headers.putAll(headers);
        return other;
    }

    /** Sends this header with every browser request, e.g. X-Forwarded-For to play a client from elsewhere. */
    public OidcCodeFlow header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Ends the browser session the way closing the browser does: Keycloak's session cookies go, long-lived ones
     * (the device cookie) stay, so the next sign-in asks for the password again on the same device.
     */
    public OidcCodeFlow forgetSession() {
        cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getMaxAge() < 0)
                .toList()
                .forEach(cookie -> cookies.getCookieStore().getURIs()
                        .forEach(uri -> cookies.getCookieStore().remove(uri, cookie)));
        return this;
    }

    /** One login attempt's secrets: PKCE verifier, state and nonce. */
    public record Attempt(String codeVerifier, String state, String nonce) {

        public static Attempt fresh() {
            return new Attempt(random(48), random(16), random(16));
        }

        public String codeChallenge() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Where the authorization endpoint sent the user agent back to: the client's redirect URI with its parameters. */
    public record Callback(URI uri, Map<String, String> parameters) {

        public String code() {
            String code = parameters.get("code");
            if (code == null) {
                throw new AssertionError("no code in the callback " + uri);
            }
            return code;
        }
    }

    public URI authorizationUrl(Attempt attempt) {
        return URI.create(realmUrl + "/protocol/openid-connect/auth?response_type=code&scope=openid"
                + "&client_id=" + Http.encode(clientId) + "&redirect_uri=" + Http.encode(redirectUri.toString())
                + "&state=" + attempt.state() + "&nonce=" + attempt.nonce()
                + "&code_challenge=" + attempt.codeChallenge() + "&code_challenge_method=S256");
    }

    /** Opens the authorization endpoint, submits the login form and returns the redirect back to the client. */
    public Callback signIn(Attempt attempt, String username, String password) {
        return signIn(authorizationUrl(attempt), username, password);
    }

    public Callback signIn(URI authorizationUrl, String username, String password) {
        HttpResponse<String> submitted = submitLogin(authorizationUrl, username, password);
        String location = submitted.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("login was not accepted (" + submitted.statusCode() + ")"));
        return callback(URI.create(location));
    }

    /** Opens the login page and submits the form; returns Keycloak's answer as it is (redirect or page). */
    public HttpResponse<String> submitLogin(Attempt attempt, String username, String password) {
        return submitLogin(authorizationUrl(attempt), username, password);
    }

    private HttpResponse<String> submitLogin(URI authorizationUrl, String username, String password) {
        HttpResponse<String> loginPage = Http.send(client, browserRequest(authorizationUrl).GET().build());
        if (loginPage.statusCode() != 200) {
            throw new AssertionError("authorization endpoint answered " + loginPage.statusCode() + " "
                    + loginPage.headers().firstValue("Location").orElse(loginPage.body()));
        }
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        if (!action.find()) {
            throw new AssertionError("no login form on " + authorizationUrl);
        }
        return Http.send(client, browserRequest(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("username", username, "password", password, "credentialId", "")))
                .build());
    }

    /**
     * A new customer's first sign-in from the app: the login form, then the demo's consent page (terms and privacy
     * accepted) if it comes; returns the redirect to the app, or the page the journey stopped on.
     */
    public HttpResponse<String> signInAcceptingConsents(String username, String password) {
        HttpResponse<String> page = submitLogin(Attempt.fresh(), username, password);
        for (int step = 0; step < 4; step++) {
            String location = page.headers().firstValue("Location").orElse("");
            if (location.startsWith(redirectUri.toString())) {
                return page;
            }
            if (!location.isEmpty()) {
                page = follow(page);
            } else if (hasForm(page, "ciam-consent-form")) {
                page = submitForm(page, "ciam-consent-form", Map.of("consent.terms", "on", "consent.privacy", "on"));
            } else {
                return page;
            }
        }
        return page;
    }

    /** Follows Keycloak's own redirects (not the one back to the app) and returns the page or redirect it ends on. */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 10; hops++) {
            String location = current.headers().firstValue("Location").orElse(null);
            if (location == null || location.startsWith(redirectUri.toString())) {
                return current;
            }
            current = Http.send(client, browserRequest(current.uri().resolve(location)).GET().build());
        }
        throw new AssertionError("too many redirects from " + response.uri());
    }

    /** Sends any request from this browser, its cookies and headers included (e.g. a page's own fetch call). */
    public HttpResponse<String> send(String method, URI uri, Map<String, String> extraHeaders) {
        HttpRequest.Builder request = browserRequest(uri).method(method, HttpRequest.BodyPublishers.noBody());
        extraHeaders.forEach(request::header);
        return Http.send(client, request.build());
    }

    /** Whether the page holds the form with this id (e.g. kc-otp-login-form). */
    public static boolean hasForm(HttpResponse<String> page, String formId) {
        return page.body().contains("id=\"" + formId + "\"");
    }

    /** A hidden field's value in the page's form, as a browser would send it back. */
    public static String hiddenField(HttpResponse<String> page, String name) {
        Matcher field = Pattern.compile("<input[^>]*name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(page.body());
        if (!field.find()) {
            throw new AssertionError("no field " + name + " on " + page.uri());
        }
        return field.group(1).replace("&amp;", "&");
    }

    /** Submits the page's form (by id) with the given fields, as a user pressing its button. */
    public HttpResponse<String> submitForm(HttpResponse<String> page, String formId, Map<String, String> fields) {
        Matcher action = Pattern.compile("<form[^>]*id=\"" + Pattern.quote(formId) + "\"[^>]*action=\"([^\"]+)\"")
                .matcher(page.body());
        if (!action.find()) {
            action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*id=\"" + Pattern.quote(formId) + "\"").matcher(page.body());
            if (!action.find()) {
                throw new AssertionError("no form " + formId + " on " + page.uri());
            }
        }
        return Http.send(client, browserRequest(page.uri().resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(fields))
                .build());
    }

    /** The redirect back to the app that ends a successful login. */
    public Callback callbackFrom(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect back to the app (" + response.statusCode() + ")"));
        return callback(URI.create(location));
    }

    /** Sends the user agent to a URL and returns where it is redirected; for requests that fail at once. */
    public Callback redirectFrom(URI uri) {
        HttpResponse<String> response = Http.send(client, browserRequest(uri).GET().build());
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect from " + uri + " (" + response.statusCode() + ")"));
        return callback(URI.create(location));
    }

    private HttpRequest.Builder browserRequest(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return request;
    }

    /** The token endpoint's answer to the code exchange: status and JSON body. */
    public HttpResponse<String> exchange(String code, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("client_id", clientId);
        form.put("code_verifier", codeVerifier);
        return Http.send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(form))
                .build());
    }

    public JsonNode tokens(String code, String codeVerifier) {
        HttpResponse<String> response = exchange(code, codeVerifier);
        if (response.statusCode() != 200) {
            throw new AssertionError("token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return Http.json(response.body());
    }

    private Callback callback(URI location) {
        if (!location.toString().startsWith(redirectUri.toString())) {
            throw new AssertionError("expected a redirect to " + redirectUri + " but got " + location);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = location.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new Callback(location, parameters);
    }

    /**
     * Keycloak marks its session cookies Secure; browsers still send them to http://localhost, which they treat as
     * a secure context, but Java's CookieManager would not. This one does, for loopback hosts only.
     */
    private static final class BrowserLikeCookies extends CookieManager {

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (loopback && "http".equals(uri.getScheme())) {
                uri = URI.create("https://" + uri.getRawAuthority() + uri.getRawPath());
            }
            return super.get(uri, headers);
        }
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
