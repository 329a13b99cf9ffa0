<#ftl output_format="plainText">
${msg("ciamEmailOtpBody", code, ttlMinutes)}
