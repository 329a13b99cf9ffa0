package org.ciampack.consent.rest;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.theme.Theme;

/**
 * Purpose titles and descriptions (message keys) in the user's language, from the realm's login theme and its
 * localization texts: the same words the consent form shows, for pages that are not rendered by the login theme.
 */
final class PurposeTexts {

    private static final Logger LOG = Logger.getLogger(PurposeTexts.class);

    private final Properties messages;
    private final Locale locale;

    private PurposeTexts(Properties messages, Locale locale) {
        this.messages = messages;
        this.locale = locale;
    }

    static PurposeTexts of(KeycloakSession session, RealmModel realm, UserModel user) {
        Locale locale = session.getContext().resolveLocale(user);
        try {
            return new PurposeTexts(session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(realm, locale), locale);
        } catch (IOException e) {
            LOG.warnf(e, "Realm %s: the login theme's messages could not be read; consent texts are shown as keys", realm.getName());
            return new PurposeTexts(new Properties(), locale);
        }
    }

    /** The text for a message key; the key itself when no text is defined (as the login theme does). */
    String text(String key) {
        String pattern = key == null ? null : messages.getProperty(key);
        if (pattern == null) {
            return key;
        }
        try {
            return new MessageFormat(pattern, locale).format(new Object[0]);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }
}
