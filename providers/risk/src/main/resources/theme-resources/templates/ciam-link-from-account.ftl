<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
<!-- template: ciam-link-from-account.ftl -->
    <#if section = "header">
        ${msg("ciamLinkFromAccountTitle", ciamLinkProvider)}
    <#elseif section = "form">
        <p id="ciam-link-from-account" role="status">${msg("ciamLinkFromAccountText", ciamLinkProvider)}</p>
        <p>${msg("ciamLinkFromAccountSteps", ciamLinkProvider)}</p>
        <p><a id="ciam-link-back" href="${url.loginRestartFlowUrl}">${kcSanitize(msg("backToLogin"))?no_esc}</a></p>
    </#if>
</@layout.registrationLayout>
