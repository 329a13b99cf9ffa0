#!/usr/bin/env bash
# Builds the CIAM pack, installs it into Keycloak's distribution from Maven Central and starts Keycloak in the
# foreground on localhost with the demo realm 'acme', an embedded H2 database kept under .local/, and a mail
# catcher for the realm's e-mails. Ctrl-C stops both. No Docker and no installed Keycloak needed.
#
# Settings (environment): CIAM_HTTP_PORT (8080), CIAM_MANAGEMENT_PORT (9000: health and metrics),
# CIAM_SMTP_PORT (3025), CIAM_MAIL_API_PORT (8025), CIAM_LOCAL_DIR (.local: Keycloak home and its data). Remove that folder to start from a fresh database.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
http_port=${CIAM_HTTP_PORT:-8080}
management_port=${CIAM_MANAGEMENT_PORT:-9000}
smtp_port=${CIAM_SMTP_PORT:-3025}
mail_api_port=${CIAM_MAIL_API_PORT:-8025}
local_dir=${CIAM_LOCAL_DIR:-$root/.local}

fail() {
  echo "run-local: $*" >&2
  exit 1
}

say() {
  echo "run-local: $*"
}

pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1
}

keycloak_version=$(pom_property keycloak.version)
[ -n "$keycloak_version" ] || fail "cannot read <keycloak.version> from $root/pom.xml."

# --- Java: Keycloak and the build both need 17 or newer; say so plainly instead of failing deep inside. ---
if [ -n "${JAVA_HOME:-}" ]; then
  java_cmd="$JAVA_HOME/bin/java"
else
  java_cmd=$(command -v java || true)
fi
[ -n "$java_cmd" ] && [ -x "$java_cmd" ] ||
  fail "no Java found: install a JDK 17 or newer (e.g. 'apt-get install -y openjdk-17-jdk') and set JAVA_HOME to it."
java_major=$("$java_cmd" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -n 1)
[ "${java_major:-0}" -ge 17 ] 2>/dev/null ||
  fail "Java ${java_major:-of unknown version} found at $java_cmd, but Keycloak $keycloak_version needs Java 17 or newer: install one and set JAVA_HOME to it."

# --- Ports: a busy port would otherwise surface as a Quarkus stack trace half a minute later. ---
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for entry in "$http_port:Keycloak HTTP:CIAM_HTTP_PORT" "$management_port:Keycloak management:CIAM_MANAGEMENT_PORT" \
             "$smtp_port:mail catcher SMTP:CIAM_SMTP_PORT" "$mail_api_port:mail catcher API:CIAM_MAIL_API_PORT"; do
  IFS=: read -r port purpose variable <<<"$entry"
  if port_in_use "$port"; then
    fail "port $port ($purpose) is already in use: stop the program using it (another Keycloak?) or choose a free port with $variable=<port>."
  fi
done

# --- Build the pack, unless nothing changed since the last build. ---
pack_zip=$(ls "$root"/docker/target/ciam-pack-*.zip 2>/dev/null | head -n 1 || true)
changed=""
if [ -n "$pack_zip" ]; then
  changed=$(find "$root/pom.xml" "$root/providers" "$root/themes" "$root/realm-config" "$root/docker" \
    -type f -newer "$pack_zip" -not -path '*/target/*' -print -quit)
fi
if [ -z "$pack_zip" ] || [ -n "$changed" ] || [ ! -f "$root/docker/target/tools/greenmail-standalone.jar" ]; then
  say "building the pack (./mvnw package)..."
  (cd "$root" && ./mvnw -q -B -DskipTests -pl docker -am package) || fail "the build failed; see the Maven output above."
  pack_zip=$(ls "$root"/docker/target/ciam-pack-*.zip | head -n 1)
else
  say "pack is up to date: ${pack_zip#"$root"/}"
fi

# --- Keycloak distribution from Maven Central, unpacked once. ---
keycloak_home="$local_dir/keycloak-$keycloak_version"
if [ ! -f "$keycloak_home/bin/kc.sh" ]; then
  say "fetching Keycloak $keycloak_version (org.keycloak:keycloak-quarkus-dist) from Maven Central..."
  mkdir -p "$local_dir"
  (cd "$root" && ./mvnw -q -B -N dependency:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$keycloak_version:zip" -DoutputDirectory="$local_dir") ||
    fail "could not download Keycloak $keycloak_version; check access to Maven Central."
  dist_zip="$local_dir/keycloak-quarkus-dist-$keycloak_version.zip"
  if command -v unzip >/dev/null; then
    unzip -q -o "$dist_zip" -d "$local_dir"
  else
    (cd "$local_dir" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$dist_zip") && chmod +x "$keycloak_home"/bin/*.sh
  fi
  rm -f "$dist_zip"
fi

# --- Install the pack over the home: first remove what the previous pack installed. By content, not by date: a
# home another checkout installed its (newer) pack into must still get this one. ---
installed="$keycloak_home/.ciam-pack-files"
installed_id="$keycloak_home/.ciam-pack-id"
pack_id=$(cksum <"$pack_zip")
if [ ! -f "$installed" ] || [ "$(cat "$installed_id" 2>/dev/null)" != "$pack_id" ]; then
  if [ -f "$installed" ]; then
    while IFS= read -r file; do
      case "$file" in
        */) ;;
        *) rm -f "$keycloak_home/$file" ;;
      esac
    done <"$installed"
  fi
  if command -v unzip >/dev/null; then
    unzip -q -o "$pack_zip" -d "$keycloak_home"
    unzip -Z1 "$pack_zip" >"$installed"
  else
    (cd "$keycloak_home" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$pack_zip")
    "${JAVA_HOME:+$JAVA_HOME/bin/}jar" tf "$pack_zip" >"$installed"
  fi
  echo "$pack_id" >"$installed_id"
  say "installed ${pack_zip##*/} into ${keycloak_home#"$root"/}"
fi

# --- Demo GeoIP databases: the documentation networks placed in Berlin, Sydney, New York and Paris. ---
geoip_dir="$local_dir/geoip"
if [ ! -f "$geoip_dir/ciam-demo-city.mmdb" ] || [ "$pack_zip" -nt "$geoip_dir/ciam-demo-city.mmdb" ]; then
  "$java_cmd" -cp "$(ls "$keycloak_home"/providers/ciam-risk-*.jar | head -n 1)" \
    org.ciampack.risk.geo.DemoGeoIpDatabases "$geoip_dir" || fail "could not write the demo GeoIP databases."
fi

# --- Demo legacy shop: an old web shop's customer database (H2 file, 1,000 customers, eight password hash
# formats), federated into acme in lazy migration once Keycloak is up. Made once; remove the folder to start over. ---
legacy_dir="$local_dir/legacy-shop"
if [ ! -f "$legacy_dir/old-shop-v2.mv.db" ]; then
  main_lib="$keycloak_home/lib/lib/main"
  "$java_cmd" -cp "$(ls "$keycloak_home"/providers/ciam-federation-*.jar | head -n 1):$(ls "$main_lib"/com.h2database.h2-*.jar | head -n 1):$(ls "$main_lib"/org.bouncycastle.bcprov-jdk18on-*.jar | head -n 1)" \
    org.ciampack.federation.DemoLegacyShop "$legacy_dir" || fail "could not write the demo legacy shop database."
fi

# --- The legacy shop is an H2 file. A server started for another database (--db=postgres etc., passed on to
# kc.sh) is built without H2's driver, so it gets the distribution's own copy as a provider; one on H2 has the
# driver already and must not load it twice. The database kind as Keycloak reads it: the command line, then KC_DB,
# then a db line of its configuration file (--config-file, -cf or KC_CONFIG_FILE, else the distribution's
# conf/keycloak.conf), then its default. ---
config_file=${KC_CONFIG_FILE:-$keycloak_home/conf/keycloak.conf}
db_kind=""
previous_arg=""
for arg in "$@"; do
  case "$arg" in
    --db=*) db_kind=${arg#--db=} ;;
    --config-file=*) config_file=${arg#--config-file=} ;;
  esac
  case "$previous_arg" in
    --db) db_kind=$arg ;;
    --config-file | -cf) config_file=$arg ;;
  esac
  previous_arg=$arg
done
if [ -z "$db_kind" ]; then
  conf_db=""
  if [ -f "$config_file" ]; then
    conf_db=$(sed -n -E 's/^[[:space:]]*db([[:space:]]*[=:][[:space:]]*|[[:space:]]+)([^[:space:]#]+).*/\2/p' \
      "$config_file" | tail -n 1)
  fi
  db_kind=${KC_DB:-${conf_db:-dev-file}}
fi
h2_for_legacy_shop="$keycloak_home/providers/h2-driver-for-the-demo-legacy-shop.jar"
case "$db_kind" in
  dev-file | dev-mem) rm -f "$h2_for_legacy_shop" ;;
  *)
    h2_driver=$(ls "$keycloak_home"/lib/lib/main/com.h2database.h2-*.jar 2>/dev/null | head -n 1) || true
    [ -n "$h2_driver" ] || fail "no H2 driver in $keycloak_home/lib/lib/main for the demo's legacy shop."
    # Copied once, with its own date: Keycloak rebuilds itself at every start whose providers look changed.
    cmp -s "$h2_driver" "$h2_for_legacy_shop" || cp -p "$h2_driver" "$h2_for_legacy_shop"
    ;;
esac

# --- Vault (Keycloak's files vault): the demo export routes' webhook secret and PII hash key, made once. ---
vault_dir="$local_dir/vault"
mkdir -p "$vault_dir"
chmod 700 "$vault_dir"
if [ ! -f "$vault_dir/acme_export-webhook-secret" ]; then
  echo -n "whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >"$vault_dir/acme_export-webhook-secret"
  head -c 32 /dev/urandom | base64 | tr -d '\n' >"$vault_dir/acme_export-hash-key"
  chmod 600 "$vault_dir"/acme_*
fi

# --- Mail catcher (GreenMail): SMTP for Keycloak, a REST API to read the mails. ---
# Background helpers ignore Ctrl-C (no job control in scripts), so the EXIT trap stops them.
helpers=()
stop_helpers() {
  for pid in "${helpers[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop_helpers EXIT
"$java_cmd" -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$smtp_port" \
  -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$mail_api_port" -Dgreenmail.auth.disabled \
  -jar "$root/docker/target/tools/greenmail-standalone.jar" >"$local_dir/greenmail.log" 2>&1 &
helpers+=($!)

# --- The legacy shop in acme's user federation, added through the admin API on the first start (kept after). ---
federate_legacy_shop() {
  local kcadm="$keycloak_home/bin/kcadm.sh" config="$local_dir/kcadm.config"
  if ! [[ "$legacy_dir" =~ ^(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+$ ]]; then
    say "the legacy shop is not federated: its folder $legacy_dir has characters an H2 URL of the store may not have."
    return 0
  fi
  "$kcadm" config credentials --config "$config" --server "http://localhost:$http_port" --realm master \
    --user "${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" --password "${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" >/dev/null 2>&1 ||
    { say "the legacy shop is not federated: no admin login with the bootstrap admin's password."; return 0; }
  if "$kcadm" get components --config "$config" -r acme -q name=old-shop --fields id 2>/dev/null | grep -q '"id"'; then
    return 0
  fi
  local refused
  if refused=$("$kcadm" create components --config "$config" -r acme -f - 2>&1 <<JSON
{
  "name": "old-shop", "providerId": "ciam-legacy-jdbc", "providerType": "org.keycloak.storage.UserStorageProvider",
  "config": {
    "enabled": ["true"], "priority": ["10"], "mode": ["lazy-migration"],
    "jdbcUrl": ["jdbc:h2:file:$legacy_dir/old-shop-v2"], "user": ["sa"],
    "byUsernameSql": ["select * from customers where email_lower = lower(?)"],
    "byEmailSql": ["select * from customers where email_lower = lower(?)"],
    "searchSql": ["select * from customers where email_lower like ? order by id"],
    "countSql": ["select count(*) from customers where email_lower like ?"],
    "usernameColumn": ["email"], "emailColumn": ["email"], "emailVerifiedColumn": ["email_verified"],
    "firstNameColumn": ["first_name"], "lastNameColumn": ["last_name"], "passwordColumn": ["password_hash"],
    "attributeColumns": ["phone=phone"], "checkPolicyAtMigration": ["true"]
  }
}
JSON
  ); then
    say "the legacy shop is in acme's user federation as 'old-shop' (lazy migration)."
  else
    say "the legacy shop could not be federated: ${refused:-no answer from the admin CLI}"
  fi
}

# --- Tell the user where things are once the demo realm answers. ---
http_status() {
  exec 3<>"/dev/tcp/127.0.0.1/$http_port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
  head -n 1 <&3 | cut -d ' ' -f 2
  exec 3<&-
}
case "$db_kind" in
  dev-file) database_line="H2 in $keycloak_home/data" ;;
  dev-mem) database_line="H2 in memory (gone at the next start)" ;;
  *) database_line="$db_kind (Keycloak's db option)" ;;
esac
announce_when_ready() {
  local started=$SECONDS
  while [ $((SECONDS - started)) -lt 600 ]; do
    if [ "$(http_status /realms/acme/.well-known/openid-configuration 2>/dev/null)" = "200" ]; then
      federate_legacy_shop
      cat <<EOF

  Keycloak $keycloak_version with the CIAM pack is ready ($((SECONDS - started)) s):
    Admin console     http://localhost:$http_port/admin/            admin / admin (dev mode only)
    Demo realm        http://localhost:$http_port/realms/acme/account/
    OIDC discovery    http://localhost:$http_port/realms/acme/.well-known/openid-configuration
    Mail catcher      http://localhost:$mail_api_port/api/user/<email>/messages/INBOX   (SMTP on localhost:$smtp_port)
    Database          $database_line
    Legacy shop (H2)  $legacy_dir: 1,000 customers of an old web shop, moved into Keycloak at
                      their first sign-in (User federation > old-shop), e.g.
                      shopper1@old-shop.example / OldShop-1-Pass!  (bcrypt)
                      shopper2@old-shop.example / OldShop-2-Pass!  (Django PBKDF2)
                      shopper6@old-shop.example / OldShop-6-Pass!  (WordPress phpass)
  Stop with Ctrl-C.

EOF
      return 0
    fi
    sleep 1
  done
}
announce_when_ready &
helpers+=($!)

# The demo realm is imported on first start only (an existing realm is left as it is).
export KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
export KC_BOOTSTRAP_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
export CIAM_SMTP_HOST=127.0.0.1 CIAM_SMTP_PORT="$smtp_port"
# Plain HTTP on localhost, also for clients "from elsewhere" (X-Forwarded-For): the realm must not demand TLS
# here. Imported realms keep 'external' unless told otherwise.
export CIAM_SSL_REQUIRED=none
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$java_cmd")")")}
say "starting Keycloak $keycloak_version on http://localhost:$http_port (Ctrl-C stops it)..."
# X-Forwarded-For is trusted from loopback only, so anyone can try the risk-based login from another "place":
# 198.51.100.x is Berlin, 203.0.113.x Sydney, 192.0.2.x New York, 2001:db8:: Paris; 192.0.2.66 is on the
# demo deny list. CIDR form on purpose: a bare ::1 makes Keycloak 26.7.3 leak a UDP socket per request.
# Export routes never reach loopback or internal addresses unless allowed: the demo's own routes send to
# receivers on 127.0.0.1 (nothing else on this machine).
# Themes are cached as in production: ours come in the pack's JAR (a change means a rebuild and a restart anyway),
# and start-dev's default of parsing every template on every page costs a fifth of a login's CPU.
"$keycloak_home/bin/kc.sh" start-dev --http-port="$http_port" --http-management-port="$management_port" --import-realm \
  --spi-theme--cache-themes=true --spi-theme--cache-templates=true \
  --proxy-headers=xforwarded --proxy-trusted-addresses=127.0.0.1/32,::1/128 \
  --vault=file --vault-dir="$vault_dir" --metrics-enabled=true \
  --spi-storage--ciam-legacy-jdbc--h2-directory="$legacy_dir" \
  --spi-events-listener--ciam-export--allowed-destinations=127.0.0.1/32 \
  --spi-ciam-geoip--maxmind--city-database="$geoip_dir/ciam-demo-city.mmdb" \
  --spi-ciam-geoip--maxmind--asn-database="$geoip_dir/ciam-demo-asn.mmdb" \
  --spi-ciam-geoip--maxmind--anonymous-ip-database="$geoip_dir/ciam-demo-anonymous-ip.mmdb" "$@" &
keycloak_pid=$!
# Ctrl-C or a kill of this script becomes one SIGTERM to Keycloak, which then shuts down gracefully; the EXIT
# trap stops the mail catcher after it.
trap 'kill -TERM "$keycloak_pid" 2>/dev/null || true' INT TERM
status=0
while kill -0 "$keycloak_pid" 2>/dev/null; do
  status=0
  wait "$keycloak_pid" || status=$?
done
# 143 is Keycloak's answer to SIGTERM: a requested stop, not a failure.
case "$status" in
  0 | 130 | 143) exit 0 ;;
  *) exit "$status" ;;
esac
