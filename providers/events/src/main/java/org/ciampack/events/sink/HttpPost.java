package org.ciampack.events.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One HTTP endpoint of an HTTP sink: pooled keep-alive connections (one JDK client per route), explicit connect and
 * read timeouts, and the answer classified for the retry policy. Errors are described without the body sent.
 */
final class HttpPost implements AutoCloseable {

    private final URI url;
    private final HttpClient client;
    private final Duration readTimeout;

    HttpPost(SinkContext context, String url) {
        this.url = parse(url);
        int connectMillis = context.integer("connectTimeoutMs", 3000);
        int readMillis = context.integer("readTimeoutMs", 10_000);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.max(100, connectMillis)))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (context.tls() != null) {
            builder.sslContext(context.tls());
        }
        this.client = builder.build();
        this.readTimeout = Duration.ofMillis(Math.max(100, readMillis));
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

    URI url() {
        return url;
    }

    SinkAnswer post(String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "keycloak-ciam-export")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String detail = "HTTP " + status + excerpt(response.body());
            RetryPolicy.Outcome outcome = RetryPolicy.classify(status);
            Optional<Duration> retryAfter = outcome == RetryPolicy.Outcome.RETRY
                    ? RetryPolicy.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now())
                    : Optional.empty();
            return new SinkAnswer(outcome, detail, retryAfter);
        } catch (HttpConnectTimeoutException e) {
            return SinkAnswer.retry("connect timeout to " + url.getHost() + ":" + port());
        } catch (HttpTimeoutException e) {
            return SinkAnswer.retry("timeout: no answer within " + readTimeout.toMillis() + " ms");
        } catch (SSLException e) {
            return SinkAnswer.retry("TLS error: " + e.getMessage());
        } catch (ConnectException e) {
            return SinkAnswer.retry("connection refused by " + url.getHost() + ":" + port());
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof SSLException tls ? tls : e;
            String kind = cause instanceof SSLException ? "TLS error: " : "I/O error: ";
            return SinkAnswer.retry(kind + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SinkAnswer.retry("interrupted");
        }
    }

    private int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    @Override
    public void close() {
        // The JDK client frees its pooled connections when it is no longer referenced (close() is Java 21+).
    }
}
