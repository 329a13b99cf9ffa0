<#-- Registration's terms block, with the realm's consent purposes (ciam-consent-registration) when it has them.
     Keycloak's own terms checkbox still shows for a realm that uses its terms action instead. -->
<#import "ciam-consent-commons.ftl" as consent>
<#-- Registration asks only what an account needs: attributes the realm's user profile annotates with
     ciamAskLater=true are left off this form unless required; progressive profiling asks them at later logins.
     keycloak.v2's register.ftl imports this file before it renders the fields, so a global "profile" with the
     shorter list is what its user-profile macro sees. -->
<#if profile?? && profile.attributes??>
    <#global profile = {
        "attributes": profile.attributes?filter(attribute -> attribute.required || (attribute.annotations.ciamAskLater!"") != "true"),
        "attributesByName": profile.attributesByName,
        "html5DataAnnotations": profile.html5DataAnnotations,
        "context": profile.context
    }>
</#if>
<#macro termsAcceptance>
    <#if consentPurposes??>
        <@consent.purposeList purposes=consentPurposes/>
    </#if>
    <#if termsAcceptanceRequired??>
        <div class="${properties.kcFormGroupClass!}">
            <div id="kc-registration-terms-text">
                <strong>${msg("termsTitle")}</strong>
                ${kcSanitize(msg("termsText"))?no_esc}
            </div>
            <div class="${properties.kcCheckboxClass!}">
                <input type="checkbox" id="termsAccepted" name="termsAccepted" class="${properties.kcCheckboxInputClass!}"
                       <#if messagesPerField.existsError('termsAccepted')>aria-invalid="true"</#if>/>
                <label for="termsAccepted" class="${properties.kcCheckboxLabelClass!}">${msg("acceptTerms")}</label>
            </div>
            <#if messagesPerField.existsError('termsAccepted')>
                <span id="input-error-terms-accepted" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                    ${messagesPerField.get('termsAccepted')}
                </span>
            </#if>
        </div>
    </#if>
</#macro>
