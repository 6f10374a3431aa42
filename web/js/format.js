// Turning API values into the words a page shows: dates in the GOV.UK style ("3 July 2009"),
// times in UK local time, names, and labels looked up in the reference lists.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// 'YYYY-MM-DD' -> '3 July 2009' (the string as given when it is not such a date; '' for none).
export function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return String(iso);
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : String(iso);
}

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit',
  hour12: true, timeZone: 'Europe/London',
});

// RFC 3339 time -> '24 November 2026, 9:30am' in UK time ('' for none).
export function formatDateTime(rfc3339) {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return String(rfc3339);
  const p = Object.fromEntries(TIME_FORMAT.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}${(p.dayPeriod || '').toLowerCase().replace(/\s/g, '')}`;
}

// A person's display name: 'Kayleigh Smyth'.
export function fullName(p) {
  return [p.given_name, p.family_name].filter(Boolean).join(' ');
}

// The label for code in a reference list [{code, label}] (the code itself when unknown).
export function labelFor(list, code) {
  if (!code) return '';
  const hit = (list || []).find((x) => x.code === code);
  return hit ? hit.label : code;
}

// 'police_intel' -> 'Police intel' when the reference list does not have the role.
export function roleLabel(reference, role) {
  const hit = reference && (reference.roles || []).find((x) => x.code === role);
  if (hit) return hit.label;
  const s = String(role || '').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Split a multi-line text box into its non-empty trimmed lines.
export function lines(text) {
  return String(text || '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
}
