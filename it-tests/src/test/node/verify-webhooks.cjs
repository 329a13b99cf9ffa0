// Verifies webhook deliveries with the reference Standard Webhooks implementation (npm 'standardwebhooks'),
// independently of the pack's own signing code. Input (file named by argv[2]): a JSON array of
// {"secret": "whsec_...", "headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...},
// "body": "..."}; output: one JSON line per delivery, {"id": ..., "ok": true|false, "error": ...}.
const fs = require('fs');
const { Webhook } = require('standardwebhooks');

const deliveries = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
for (const delivery of deliveries) {
  try {
    new Webhook(delivery.secret).verify(delivery.body, delivery.headers);
    console.log(JSON.stringify({ id: delivery.headers['webhook-id'], ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ id: delivery.headers['webhook-id'], ok: false, error: String(error.message || error) }));
  }
}
