<#-- The consent purposes as checkboxes: title, description, a link to the document, an error per purpose.
     Every text is escaped (FreeMarker's HTML output format); none is trusted as markup. -->
<#macro purposeList purposes>
    <fieldset id="ciam-consent-purposes" class="ciam-consent-purposes">
        <legend class="pf-v5-u-screen-reader sr-only">${msg("ciamConsentLegend")}</legend>
        <#-- What this page shows: an answer is recorded only against these versions (ShownPurposes). -->
        <input type="hidden" name="consentShown" value="<#list purposes as purpose>${purpose.id}:${purpose.version?c}<#sep>,</#list>"/>
        <#list purposes as purpose>
            <#assign invalid = messagesPerField.existsError(purpose.field)>
            <div class="${properties.kcFormGroupClass!} ciam-consent-purpose" id="ciam-consent-${purpose.id}">
                <div class="${properties.kcCheckboxClass!(properties.kcInputClassCheckbox!)}">
                    <input class="${properties.kcCheckboxInputClass!(properties.kcInputClassCheckboxInput!)}" type="checkbox" id="${purpose.field}"
                           name="${purpose.field}" <#if purpose.checked>checked</#if>
                           <#if purpose.required>aria-required="true"</#if>
                           <#if invalid>aria-invalid="true"</#if>
                           aria-describedby="${purpose.field}-description<#if invalid> ${purpose.field}-error</#if>"/>
                    <label for="${purpose.field}" class="${properties.kcCheckboxLabelClass!(properties.kcInputClassCheckboxLabel!)}">
                        ${msg(purpose.title)}
                        <#if purpose.required>
                            <span class="${properties.kcCheckboxLabelRequiredClass!}" aria-hidden="true">&#42;</span>
                            <span class="pf-v5-u-screen-reader sr-only">${msg("ciamConsentRequired")}</span>
                        </#if>
                    </label>
                    <span class="pf-v5-c-check__description pf-c-check__description ciam-consent-description" id="${purpose.field}-description">
                        ${msg(purpose.description)}
                        <#if purpose.documentUrl?has_content>
                            <a href="${purpose.documentUrl}" target="_blank" rel="noopener noreferrer">${msg("ciamConsentReadDocument", msg(purpose.title))}</a>
                        </#if>
                    </span>
                </div>
                <#if invalid>
                    <span id="${purpose.field}-error" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                        ${messagesPerField.get(purpose.field)}
                    </span>
                </#if>
            </div>
        </#list>
    </fieldset>
</#macro>
