<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#import "ciam-consent-commons.ftl" as consent>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('global'); section>
<!-- template: ciam-consent.ftl -->
    <#if section = "header">
        ${msg("ciamConsentTitle")}
    <#elseif section = "form">
        <p id="ciam-consent-intro">${msg("ciamConsentIntro")}</p>
        <form id="ciam-consent-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate>
            <@consent.purposeList purposes=consentPurposes/>
            <@buttons.actionGroup horizontal=true>
                <@buttons.button name="accept" id="ciam-consent-accept" label="ciamConsentContinue"/>
                <@buttons.button name="decline" id="ciam-consent-decline" label=(consentBeforeAccount??)?then("ciamConsentDeclineNoAccount", "ciamConsentDecline") type="secondary"/>
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
