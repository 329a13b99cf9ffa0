<#-- Progressive profiling (ciam-progressive-profiling): the few profile questions due at this login, rendered by
     the login theme's own user-profile macros from the realm's declarative user profile. A plain form: it works without
     JavaScript. "Not now" is offered only when every question on the page may still be skipped. -->
<#import "template.ftl" as layout>
<#import "ciam-form.ftl" as form>
<#import "user-profile-commons.ftl" as userProfileCommons>
<@layout.registrationLayout displayMessage=messagesPerField.exists('global') displayRequiredFields=!ciamProfilingSkippable; section>
<!-- template: ciam-profiling.ftl -->
    <#if section = "header">
        ${msg("ciamProfilingTitle")}
    <#elseif section = "form">
        <p id="ciam-profiling-intro"><#if ciamProfilingNeededNow>${msg("ciamProfilingNeeded", (client.name?has_content)?then(advancedMsg(client.name), client.clientId))}<#else>${msg("ciamProfilingIntro")}</#if></p>
        <form id="ciam-profiling-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@userProfileCommons.userProfileFormFields/>
            <@form.actions>
                <@form.button name="save" id="ciam-profiling-save" label="ciamProfilingSave"/>
                <#if ciamProfilingSkippable>
                    <@form.button name="ciam-not-now" id="ciam-profiling-not-now" label="ciamProfilingNotNow" primary=false skipValidation=true/>
                </#if>
            </@form.actions>
            <#if ciamProfilingSkippable>
                <p id="ciam-profiling-later" class="${properties.kcInputHelperTextAfterClass!}">${msg("ciamProfilingLater")}</p>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
