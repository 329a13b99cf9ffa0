package org.ciampack.events.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.EnglishReasonPhraseCatalog;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.ciampack.common.AddressPolicy;
import org.ciampack.common.DestinationRefusedException;
import org.jboss.logging.Logger;

/**
 * One HTTP endpoint of an HTTP sink: pooled keep-alive connections (one client per route), explicit connect and
 * read timeouts, and the answer classified for the retry policy. Every new connection goes to an address that the
 * address policy has just checked: the client's resolver returns only permitted addresses and the connection is made
 * to exactly those (no second lookup, so DNS rebinding cannot slip an internal address in); redirects are not
 * followed. What the admin sees of an answer is its status code and the standard reason, never the receiver's body
 * or reason text; a refused or timed-out connection and a missing answer all read the same.
 */
final class HttpPost implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HttpPost.class);
    /** Read (and dropped) of an answer's body so the connection can be kept; a longer body closes the connection. */
    private static final int DRAIN_LIMIT = 64 * 1024;
    /**
     * Addresses of a host tried at most, each with the connect timeout: a name that resolves to many addresses that
     * drop connections must not multiply the wait.
     */
    static final int MAX_ADDRESSES = 2;
    /** The shortest wait for a name's lookup, whatever the route's connect timeout. */
    static final int MIN_LOOKUP_MILLIS = 2000;

    /** Aborts a request that is not answered in full by its deadline (one timer for every route's sends). */
    private static final ScheduledThreadPoolExecutor DEADLINES = SendDeadlines.timer("ciam-export-deadline");

    /** Deadlines of sends still under way. */
    static int deadlinesWaiting() {
        return DEADLINES.getQueue().size();
    }

    private final URI url;
    private final CloseableHttpClient client;
    /**
     * The longest a send may take, connecting and answering: the read timeout bounds each read only, and a receiver
     * sending a byte now and then would otherwise hold the sending thread (and the route's lease) for good.
     */
    private final long sendMillis;

    HttpPost(SinkContext context, String url) {
        this.url = parse(url);
        int connectMillis = context.millis(SinkTimeouts.CONNECT, 3000, SinkTimeouts.MAX_CONNECT_MILLIS);
        int readMillis = context.millis(SinkTimeouts.READ, 10_000, SinkTimeouts.MAX_READ_MILLIS);
        SSLContext tls = context.tls();
        ConnectionSocketFactory https = tls == null ? SSLConnectionSocketFactory.getSocketFactory()
                : new SSLConnectionSocketFactory(tls, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
        AddressPolicy policy = context.destinations() == null ? AddressPolicy.DEFAULT : context.destinations();
        this.sendMillis = (long) MAX_ADDRESSES * connectMillis + readMillis;
        // The send's deadline cannot stop a name's lookup under way: the lookup has a limit of its own, within the
        // deadline, and not so short that a cold lookup of a good name fails on a route with a short connect timeout.
        Duration lookupLimit = Duration.ofMillis(Math.min(sendMillis, Math.max(connectMillis, MIN_LOOKUP_MILLIS)));
        String realm = context.realmName();
        DnsResolver checked = host -> policy.permitted(host, realm, lookupLimit).stream().limit(MAX_ADDRESSES)
                .toArray(InetAddress[]::new);
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", https).build(),
                null, null, checked, 5, TimeUnit.MINUTES);
        pool.setMaxTotal(64);
        pool.setDefaultMaxPerRoute(64);
        pool.setValidateAfterInactivity(2000);
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(connectMillis)
                        .setSocketTimeout(readMillis)
                        .setConnectionRequestTimeout(connectMillis + readMillis)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("keycloak-ciam-export")
                .build();
    }

    /** An absolute http(s) URL, or an {@link IllegalArgumentException} saying what is wrong with it. */
    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no url");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("malformed url: it must start with https:// or http://");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException("malformed url: no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed url: " + e.getReason());
        }
    }

    /**
     * Problems with a url written into the route itself rather than read from the vault: malformed, or carrying
     * credentials, which every realm viewer and every realm export would see.
     */
    static void checkWritten(String url, List<String> problems) {
        try {
            URI parsed = parse(url);
            if (parsed.getRawUserInfo() != null) {
                problems.add("settings.url carries credentials (user:password@): a route is a realm attribute every "
                        + "realm viewer sees; put the whole url in the vault as ${vault.export-<name>}");
            }
            secretParameter(parsed.getRawQuery()).ifPresent(name -> problems.add("settings.url carries a secret in "
                    + "its query (" + name + "=): a route is a realm attribute every realm viewer sees; put the whole "
                    + "url in the vault as ${vault.export-<name>}"));
            tokenInPath(parsed.getRawPath()).ifPresent(token -> problems.add("settings.url carries what looks like a "
                    + "token in its path (" + token.substring(0, 4) + "..., " + token.length() + " characters), as "
                    + "Slack's and Discord's webhook urls do: a route is a realm attribute every realm viewer sees; put "
                    + "the whole url in the vault as ${vault.export-<name>}"));
        } catch (IllegalArgumentException e) {
            problems.add("settings.url: " + e.getMessage());
        }
    }

    /** Words of query parameter names that hold a secret in the usual webhook urls (Azure's code=, sig=, ...). */
    private static final Set<String> SECRET_WORDS = Set.of("token", "secret", "password", "passwd", "pwd", "sig",
            "signature", "key", "apikey", "code", "auth", "credential", "credentials");

    /**
     * The first query parameter of a written url whose name says it holds a secret: a whole word of the name
     * (split at - _ . and camelCase, percent-decoded) is one of {@link #SECRET_WORDS}, so access_token and X-Auth-Token
     * are caught while author or design are not.
     */
    static Optional<String> secretParameter(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        return java.util.Arrays.stream(rawQuery.split("&")).map(pair -> pair.split("=", 2)[0])
                .filter(name -> {
                    String decoded;
                    try {
                        decoded = java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        decoded = name;
                    }
                    return java.util.Arrays.stream(decoded.split("[-_.\\s]+|(?<=[a-z0-9])(?=[A-Z])"))
                            .anyMatch(word -> SECRET_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT)));
                }).findFirst();
    }

    /**
     * A path segment that is a token, not a name: 24 or more letters, digits, - and _, with a run of 16 or more
     * letters and digits (between - and _) that has both, as random strings have and words (keycloak-events-v2) do
     * not. A UUID or a MongoDB ObjectId (24 hex digits) is an id in the usual receiver's path, not a secret.
     */
    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{24,}");
    private static final java.util.regex.Pattern RANDOM_RUN = java.util.regex.Pattern.compile(
            "(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{24}");

    /** The first segment of a written url's path that looks like a token (see {@link #SEGMENT}). */
    static Optional<String> tokenInPath(String rawPath) {
        if (rawPath == null) {
            return Optional.empty();
        }
        return java.util.Arrays.stream(rawPath.split("/"))
                .filter(segment -> SEGMENT.matcher(segment).matches() && !ID.matcher(segment).matches()
                        && java.util.Arrays.stream(segment.split("[-_]"))
                                .anyMatch(run -> RANDOM_RUN.matcher(run).matches()))
                .findFirst();
    }

    URI url() {
        return url;
    }

    SinkAnswer post(String contentType, String body, Map<String, String> headers) {
        org.apache.http.client.methods.HttpPost request = new org.apache.http.client.methods.HttpPost(url);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8)));
        request.setHeader("Content-Type", contentType);
        headers.forEach(request::setHeader);
        ScheduledFuture<?> deadline = DEADLINES.schedule(request::abort, sendMillis, TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = client.execute(request)) {
            int status = response.getStatusLine().getStatusCode();
            drain(response.getEntity(), request);
            RetryPolicy.Outcome outcome = RetryPolicy.classify(status);
            Header retryAfterHeader = response.getFirstHeader("Retry-After");
            Optional<Duration> retryAfter = outcome == RetryPolicy.Outcome.RETRY && retryAfterHeader != null
                    ? RetryPolicy.retryAfter(retryAfterHeader.getValue(), Instant.now())
                    : Optional.empty();
            return new SinkAnswer(outcome, statusLine(status), retryAfter);
        } catch (DestinationRefusedException e) {
            LOG.debugf("Export to %s refused: it resolves to %s", url.getHost(), e.reason());
            return SinkAnswer.rejected(e.getMessage());
        } catch (UnknownHostException e) {
            LOG.debugf("Export to %s: host unknown (%s)", url.getHost(), e.getMessage());
            return SinkAnswer.retry(unreachable(url.getHost(), port()));
        } catch (IOException e) {
            if (request.isAborted()) {
                LOG.debugf("Export to %s:%d: no whole answer within %d ms", url.getHost(), port(), sendMillis);
                return SinkAnswer.retry("no whole answer from " + url.getHost() + ":" + port() + " within " + sendMillis
                        + " ms");
            }
            if (isTls(e)) {
                LOG.debugf("Export to %s:%d: TLS error: %s", url.getHost(), port(), e.getMessage());
                return SinkAnswer.retry(TLS_ERROR);
            }
            LOG.debugf("Export to %s:%d: %s", url.getHost(), port(), e.toString());
            return SinkAnswer.retry(unreachable(url.getHost(), port()));
        } finally {
            deadline.cancel(false);
        }
    }

    static final String TLS_ERROR = "TLS error: the destination's certificate is not trusted or the handshake failed";

    /**
     * The one answer for a refused connection, a connect timeout, a reset and a missing answer: telling them apart
     * would let a route probe which ports of a network are open. The server log (debug) has the cause.
     */
    static String unreachable(String host, int port) {
        return "no answer from the destination (no connection, or no answer within the timeouts)";
    }

    /** "HTTP 400 Bad Request": the status and its standard reason, nothing the receiver wrote. */
    static String statusLine(int status) {
        String reason = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
        return "HTTP " + status + (reason == null ? "" : " " + reason);
    }

    private static boolean isTls(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** Reads and drops the body, so the connection can serve the next request; a long one is cut off. */
    private static void drain(HttpEntity entity, org.apache.http.client.methods.HttpPost request) {
        if (entity == null) {
            return;
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                total += read;
                if (total > DRAIN_LIMIT) {
                    request.abort();
                    return;
                }
            }
        } catch (IOException e) {
            // the status is in; a body cut short only costs the kept connection
            request.abort();
        }
    }

    private int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debugf("Export to %s: closing the connections failed: %s", url.getHost(), e.getMessage());
        }
    }
}
