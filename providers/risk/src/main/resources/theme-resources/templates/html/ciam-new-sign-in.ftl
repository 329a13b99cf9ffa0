<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("ciamNewSignInBodyHtml", place, browser, when, accountUrl))?no_esc}
</@layout.emailLayout>
