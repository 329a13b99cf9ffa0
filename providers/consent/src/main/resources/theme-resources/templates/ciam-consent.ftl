<#-- The consent page (ciam-consent required action, and before an account is created from an identity provider). -->
<#import "template.ftl" as layout>
<#import "ciam-form.ftl" as form>
<#import "ciam-consent-commons.ftl" as consent>
<#-- A purpose's error shows under its box, so the page's alert is kept for the rest (e.g. the wording changed). -->
<#assign purposeErrors = consentPurposes?filter(purpose -> messagesPerField.existsError(purpose.field))?has_content>
<@layout.registrationLayout displayMessage=!purposeErrors; section>
<!-- template: ciam-consent.ftl -->
    <#if section = "header">
        ${msg("ciamConsentTitle")}
    <#elseif section = "form">
        <p id="ciam-consent-intro">${msg("ciamConsentIntro")}</p>
        <form id="ciam-consent-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate>
            <@consent.purposeList purposes=consentPurposes/>
            <@form.actions>
                <@form.button name="accept" id="ciam-consent-accept" label="ciamConsentContinue"/>
                <@form.button name="decline" id="ciam-consent-decline" label=(consentBeforeAccount??)?then("ciamConsentDeclineNoAccount", "ciamConsentDecline") primary=false/>
            </@form.actions>
        </form>
    </#if>
</@layout.registrationLayout>
