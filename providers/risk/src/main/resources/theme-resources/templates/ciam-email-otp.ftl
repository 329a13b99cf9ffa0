<#-- The e-mail code step (ciam-email-otp): the code we mailed, and a way to ask for another. -->
<#import "template.ftl" as layout>
<#import "ciam-form.ftl" as form>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
<!-- template: ciam-email-otp.ftl -->
    <#if section="header">
        ${msg("ciamEmailOtpTitle")}
    <#elseif section="form">
        <p id="ciam-email-otp-instruction">${msg("ciamEmailOtpInstruction", maskedEmail)}</p>
        <form id="ciam-email-otp-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@form.textField name="code" label=msg("ciamEmailOtpCode") autocomplete="one-time-code" autofocus=true numeric=true/>
            <@form.actions>
                <@form.button name="login" id="kc-login" label="doLogIn"/>
                <@form.button name="resend" id="ciam-email-otp-resend" label="ciamEmailOtpResend" primary=false/>
            </@form.actions>
        </form>
    </#if>
</@layout.registrationLayout>
