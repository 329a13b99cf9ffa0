// Writes a legacy shop's customers table as SQL, with password hashes made by implementations other than the
// pack's: bcrypt by the npm package bcryptjs, Argon2id by hash-wasm (whose bcrypt hangs now and then after a
// thousand hashes), scrypt, PBKDF2, salted and plain digests by Node.js's crypto (OpenSSL). Customer n has the
// username legacy-<n>, the e-mail legacy-<n>@legacy.acme.test and the password Legacy-<n>-Pass!; its hash format is
// FORMATS[n % FORMATS.length]. Customers 1..FORMATS.length get the costs a production system would use, the others
// cheap ones so that 10,000 are written in seconds. From customer 25 on, every third has an unconfirmed e-mail.
// Usage: node legacy-customers.cjs <count> <out.sql> [postgresql|mariadb]
const fs = require('fs');
const crypto = require('crypto');
const bcrypt = require('bcryptjs');
const hw = require('hash-wasm');

const FORMATS = ['bcrypt', 'argon2id', 'scrypt', 'pbkdf2_sha256', 'pbkdf2_sha1', 'pbkdf2_sha512', 'ssha', 'ssha256',
  'ssha512', 'md5', 'sha1', 'sha256'];
const b64 = (buf) => Buffer.from(buf).toString('base64');
const unpadded = (buf) => b64(buf).replace(/=+$/, '');

async function hash(format, password, strong) {
  const salt = crypto.randomBytes(16);
  switch (format) {
    case 'bcrypt': // both prefixes that bcrypt implementations write
      return bcrypt.hashSync(password, strong ? 10 : 4).replace('$2a$', strong ? '$2b$' : '$2a$');
    case 'argon2id':
      return hw.argon2id({ password, salt, parallelism: strong ? 4 : 1, iterations: strong ? 3 : 1,
        memorySize: strong ? 65536 : 64, hashLength: 32, outputType: 'encoded' });
    case 'scrypt': {
      const ln = strong ? 15 : 4;
      const key = crypto.scryptSync(password, salt, 32, { N: 1 << ln, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
      return `$scrypt$ln=${ln},r=8,p=1$${unpadded(salt)}$${unpadded(key)}`;
    }
    case 'pbkdf2_sha256': case 'pbkdf2_sha1': case 'pbkdf2_sha512': {
      const digest = format.split('_')[1];
      const iterations = strong ? 260000 : 10;
      const textSalt = salt.toString('hex').slice(0, 12);
      const key = crypto.pbkdf2Sync(password, textSalt, iterations, digest === 'sha1' ? 20 : 32, digest);
      return `${format}$${iterations}$${textSalt}$${b64(key)}`;
    }
    case 'ssha': case 'ssha256': case 'ssha512': {
      const algorithm = { ssha: 'sha1', ssha256: 'sha256', ssha512: 'sha512' }[format];
      const digest = crypto.createHash(algorithm).update(password, 'utf8').update(salt).digest();
      return `{${format.toUpperCase()}}` + b64(Buffer.concat([digest, salt]));
    }
    default:
      return crypto.createHash(format).update(password, 'utf8').digest('hex');
  }
}

const sql = (value) => value === null ? 'null' : `'${String(value).replace(/'/g, "''")}'`;

(async () => {
  const count = Number(process.argv[2]);
  const out = fs.openSync(process.argv[3], 'w');
  // MariaDB compares case-insensitively and has no indexes on expressions: plain ones serve its lookups
  const mariadb = process.argv[4] === 'mariadb';
  fs.writeSync(out, `create table customers (id bigint primary key, username varchar(100) not null unique,
    email varchar(255), email_confirmed boolean not null default false, first_name varchar(100),
    last_name varchar(100), phone_number varchar(40), password_hash varchar(1024), created_at timestamp not null);
create index customers_username_lower on customers (${mariadb ? 'username' : 'lower(username)'});
create index customers_email_lower on customers (${mariadb ? 'email' : 'lower(email)'});
`);
  const minutes = (n) => mariadb ? `interval ${n} minute` : `interval '${n} minutes'`;
  let rows = [];
  for (let n = 1; n <= count; n++) {
    const format = FORMATS[n % FORMATS.length];
    const password = `Legacy-${n}-Pass!`;
    const hashed = await hash(format, password, n <= FORMATS.length);
    rows.push(`(${n}, ${sql('legacy-' + n)}, ${sql(`legacy-${n}@legacy.acme.test`)}, ${n <= 2 * FORMATS.length || n % 3 !== 0}, ${sql('Legacy')}, `
      + `${sql('Customer ' + n)}, ${sql('+44 20 7946 ' + String(n % 10000).padStart(4, '0'))}, ${sql(hashed)}, `
      + `timestamp '2019-01-01 00:00:00' + ${minutes(n)})`);
    if (rows.length === 500 || n === count) {
      fs.writeSync(out, `insert into customers (id, username, email, email_confirmed, first_name, last_name, `
        + `phone_number, password_hash, created_at) values\n${rows.join(',\n')};\n`);
      rows = [];
    }
  }
  fs.closeSync(out);
})().catch((error) => { console.error(error); process.exit(1); });
