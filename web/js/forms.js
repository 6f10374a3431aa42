// Small helpers shared by the form pages: reading a GOV.UK date input, and reading values.

// Read the date input with the given id prefix ('dob' -> #dob-day, #dob-month, #dob-year)
// from form. Returns {parts: {day, month, year}} plus either {value: 'YYYY-MM-DD'} (or ''
// when all three are empty) or {error, errorParts} naming the parts that are wrong, worded as
// the GOV.UK date input guidance says ("Date of birth must include a month").
export function readDate(form, id, label) {
  const get = (p) => (form.querySelector(`#${id}-${p}`)?.value || '').trim();
  const parts = { day: get('day'), month: get('month'), year: get('year') };
  if (!parts.day && !parts.month && !parts.year) return { parts, value: '' };
  const missing = ['day', 'month', 'year'].filter((p) => !parts[p]);
  if (missing.length) {
    return { parts, error: `${label} must include a ${missing.join(' and a ')}`, errorParts: missing };
  }
  const bad = [];
  if (!/^\d{1,2}$/.test(parts.day)) bad.push('day');
  if (!/^\d{1,2}$/.test(parts.month)) bad.push('month');
  if (!/^\d{4}$/.test(parts.year)) bad.push('year');
  if (bad.length) {
    return { parts, error: bad.includes('year') && bad.length === 1
      ? `${label}: year must include 4 numbers` : `${label} must be a real date`, errorParts: bad };
  }
  const d = Number(parts.day);
  const m = Number(parts.month);
  const y = Number(parts.year);
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    return { parts, error: `${label} must be a real date`, errorParts: ['day', 'month', 'year'] };
  }
  const pad = (n) => String(n).padStart(2, '0');
  return { parts, value: `${y}-${pad(m)}-${pad(d)}` };
}

// 'YYYY-MM-DD' -> {day: '3', month: '7', year: '2009'} for filling a date input.
export function dateParts(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return { day: '', month: '', year: '' };
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] };
}

// The trimmed value of the control named name in form ('' when absent).
export function val(form, name) {
  const el = form.elements.namedItem(name);
  return el && typeof el.value === 'string' ? el.value.trim() : '';
}

// The raw value (not trimmed: text areas keep their inner spacing).
export function raw(form, name) {
  const el = form.elements.namedItem(name);
  return el && typeof el.value === 'string' ? el.value : '';
}

// The checked value of a radio group, or ''.
export function radioValue(form, name) {
  const el = form.querySelector(`input[type="radio"][name="${name}"]:checked`);
  return el ? el.value : '';
}

export function checked(form, name) {
  const el = form.querySelector(`input[type="checkbox"][name="${name}"]`);
  return Boolean(el && el.checked);
}
