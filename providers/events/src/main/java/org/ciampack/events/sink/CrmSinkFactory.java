package org.ciampack.events.sink;

/**
 * CRM profile sync: a signed webhook that receives contact upserts and deletes ({@code crm-contact} format) on
 * the profile's events (registration, profile and e-mail changes, consents, account deletion), with the route's
 * {@code settings.mapping} from profile fields to the CRM's.
 */
public final class CrmSinkFactory extends WebhookSinkFactory {

    public static final String ID = "crm";

    @Override
    public String getId() {
        return ID;
    }
}
