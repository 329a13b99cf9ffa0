<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("ciamEmailOtpBodyHtml", code, ttlMinutes))?no_esc}
</@layout.emailLayout>
