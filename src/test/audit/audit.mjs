// Runs graphql-http's server audits against the URL given as the first argument and prints one JSON array:
// [{id, name, status, reason}], status being "ok", "notice" (MAY), "warn" (SHOULD) or "error" (MUST).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
console.log(JSON.stringify(results.map((r) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  reason: r.status === 'ok' ? null : r.reason,
}))));
