<#-- Registration's terms block, with the realm's consent purposes (ciam-consent-registration) when it has them.
     Keycloak's own terms checkbox still shows for a realm that uses its terms action instead. -->
<#import "ciam-consent-commons.ftl" as consent>
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
