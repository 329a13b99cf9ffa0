<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
<!-- template: ciam-email-otp.ftl -->
    <#if section="header">
        ${msg("ciamEmailOtpTitle")}
    <#elseif section="form">
        <p id="ciam-email-otp-instruction">${msg("ciamEmailOtpInstruction", maskedEmail)}</p>
        <form id="ciam-email-otp-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@field.input name="code" label=msg("ciamEmailOtpCode") autocomplete="one-time-code" autofocus=true />
            <@buttons.actionGroup>
                <@buttons.button id="kc-login" name="login" label="doLogIn" />
                <@buttons.button id="ciam-email-otp-resend" name="resend" label="ciamEmailOtpResend" type="secondary" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
