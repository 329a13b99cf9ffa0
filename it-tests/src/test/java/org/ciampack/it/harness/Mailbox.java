package org.ciampack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mail catcher's inboxes, read through GreenMail's REST API: the same catcher the run command starts, so a
 * test reads mail exactly as a developer would.
 */
public final class Mailbox {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");

    private final URI api;

    public Mailbox(URI api) {
        this.api = api;
    }

    public URI api() {
        return api;
    }

    /** Waits for a mail to {@code recipient} matching {@code filter}; fails with what did arrive. */
    public Mail await(String recipient, Predicate<Mail> filter, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<Mail> seen = List.of();
        while (Instant.now().isBefore(deadline)) {
            seen = inbox(recipient);
            for (Mail mail : seen) {
                if (filter.test(mail)) {
                    return mail;
                }
            }
            Pause.millis(250);
        }
        throw new AssertionError("No matching mail to " + recipient + " within " + timeout.toSeconds()
                + " s; the inbox holds " + seen.stream().map(Mail::subject).toList());
    }

    public List<Mail> inbox(String recipient) {
        HttpResponse<String> response = Http.get(URI.create(api + "/api/user/" + Http.encode(recipient) + "/messages/INBOX"));
        if (response.statusCode() == 400 || response.statusCode() == 404) {
            return List.of(); // GreenMail creates the user with the first mail it receives
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("mail catcher answered " + response.statusCode() + ": " + response.body());
        }
        List<Mail> mails = new ArrayList<>();
        for (JsonNode message : Http.json(response.body())) {
            mails.add(Mail.parse(message.get("mimeMessage").asText()));
        }
        return mails;
    }

    boolean isReady() {
        try {
            return Http.get(URI.create(api + "/api/service/readiness")).statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }


    /** A received mail, decoded: subject, plain text and HTML bodies. */
    public record Mail(String subject, String from, String text, String html) {

        static Mail parse(String raw) {
            try {
                MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
                StringBuilder text = new StringBuilder();
                StringBuilder html = new StringBuilder();
                collect(message, text, html);
                return new Mail(message.getSubject(), String.valueOf(message.getFrom()[0]), text.toString(), html.toString());
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("unreadable mail: " + raw, e);
            }
        }

        private static void collect(Part part, StringBuilder text, StringBuilder html) throws MessagingException, IOException {
            if (part.isMimeType("text/plain")) {
                text.append(part.getContent());
            } else if (part.isMimeType("text/html")) {
                html.append(part.getContent());
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child, text, html);
                }
            }
        }

        /** Links in the plain-text body, in order. */
        public List<URI> links() {
            List<URI> links = new ArrayList<>();
            Matcher matcher = LINK.matcher(text);
            while (matcher.find()) {
                links.add(URI.create(matcher.group()));
            }
            return links;
        }

        public URI linkContaining(String fragment) {
            return links().stream()
                    .filter(link -> link.toString().contains(fragment))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no link containing '" + fragment + "' in: " + text));
        }
    }
}
