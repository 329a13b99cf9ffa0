<#-- After a decline: signed out, no account created, or the account deleted at the customer's request. -->
<#import "template.ftl" as layout>
<#import "ciam-form.ftl" as form>
<@layout.registrationLayout displayMessage=false; section>
<!-- template: ciam-consent-declined.ftl -->
    <#if section = "header">
        <#if consentAccountDeleted??>${msg("ciamConsentDeletedTitle")}<#elseif consentNoAccount??>${msg("ciamConsentNoAccountTitle")}<#else>${msg("ciamConsentDeclinedTitle")}</#if>
    <#elseif section = "form">
        <#if consentNoAccount??>
            <p id="ciam-consent-no-account" role="status">${msg("ciamConsentNoAccountText")}</p>
        <#elseif consentAccountDeleted??>
            <p id="ciam-consent-deleted" role="status">${msg("ciamConsentDeletedText")}</p>
        <#else>
            <#if consentDeleteFailed??>
                <p id="ciam-consent-delete-failed" role="alert">${msg("ciamConsentDeleteFailedText")}</p>
            </#if>
            <p id="ciam-consent-declined" role="status">${msg("ciamConsentDeclinedText")}</p>
            <#if consentMayDelete?? && consentMayDelete>
                <p>${msg("ciamConsentDeclinedDelete")}</p>
                <form id="ciam-consent-delete-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                    <@form.actions>
                        <@form.button name="delete-account" id="ciam-consent-delete" label="ciamConsentDeleteAccount" primary=false/>
                    </@form.actions>
                </form>
            </#if>
        </#if>
        <p><a id="ciam-consent-back" href="${url.loginRestartFlowUrl}">${kcSanitize(msg("backToLogin"))?no_esc}</a></p>
    </#if>
</@layout.registrationLayout>
