<#-- Form parts shared by the pack's login pages. The pages ship in the provider JARs (theme-resources), so any
     login theme may render them: they assume only base's template.ftl and the theme's properties, keycloak.v2's
     class names first and those of the older keycloak theme as the fallback. -->

<#-- The row of submit buttons under a form. -->
<#macro actions>
    <div class="${properties.kcFormGroupClass!}">
        <div id="kc-form-buttons" class="${properties.kcFormActionGroupClass!(properties.kcFormButtonsClass!)}">
            <#nested>
        </div>
    </div>
</#macro>

<#-- A submit button; a secondary one may skip the browser's checks (e.g. "Not now" on an unfinished form). -->
<#macro button name id label primary=true skipValidation=false>
    <#local variant = primary?then(properties.kcButtonPrimaryClass!, properties.kcButtonSecondaryClass!(properties.kcButtonDefaultClass!))>
    <button type="submit" name="${name}" id="${id}" <#if skipValidation>formnovalidate</#if>
            class="${properties.kcButtonClass!} ${variant} ${properties.kcButtonBlockClass!}">${msg(label)}</button>
</#macro>

<#-- A one-line text field with its label and its error, if any. -->
<#macro textField name label autocomplete="off" autofocus=false numeric=false>
    <#local invalid = messagesPerField.existsError(name)>
    <div class="${properties.kcFormGroupClass!}">
        <label for="${name}" class="${properties.kcLabelClass!}">${label}</label>
        <span class="${properties.kcInputClass!}">
            <input type="text" id="${name}" name="${name}" autocomplete="${autocomplete}" <#if autofocus>autofocus</#if>
                   <#if numeric>inputmode="numeric"</#if> <#if invalid>aria-invalid="true" aria-describedby="input-error-${name}"</#if>/>
        </span>
        <#if invalid>
            <span id="input-error-${name}" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                ${kcSanitize(messagesPerField.get(name))?no_esc}
            </span>
        </#if>
    </div>
</#macro>
