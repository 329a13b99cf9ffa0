package org.ciampack.consent;

/** A purpose as the consent templates show it (FreeMarker reads the getters). */
public final class PurposeView {

    private final ConsentPurpose purpose;
    private final boolean checked;

    public PurposeView(ConsentPurpose purpose, boolean checked) {
        this.purpose = purpose;
        this.checked = checked;
    }

    public String getId() {
        return purpose.id();
    }

    public String getField() {
        return ConsentForm.field(purpose);
    }

    public int getVersion() {
        return purpose.version();
    }

    public boolean isRequired() {
        return purpose.required();
    }

    public String getTitle() {
        return purpose.title();
    }

    public String getDescription() {
        return purpose.description();
    }

    public String getDocumentUrl() {
        return purpose.documentUrl();
    }

    public boolean isChecked() {
        return checked;
    }
}
