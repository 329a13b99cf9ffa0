<#ftl output_format="plainText">
${msg("ciamNewSignInBody", place, browser, when, accountUrl)}
