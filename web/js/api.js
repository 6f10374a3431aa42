// The one way the UI talks to the server: fetch() on /api/v1 with JSON in and out.
// Owns the CSRF token (kept in memory only, never in storage) and turns RFC 9457
// problem+json answers into ApiError values. It knows nothing about pages or the DOM:
// what to do on 401 is given to it by app.js through onUnauthorized().

let csrfToken = null;
let unauthorizedHandler = null;

// An error answer from the API. status is the HTTP status (0 when the network failed);
// title/detail come from the problem document; errors is its list of
// {field, message} for validation failures (empty otherwise).
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.title = (problem && problem.title) || '';
    this.detail = (problem && problem.detail) || '';
    this.errors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
  }
}

// Thrown after a 401 once the sign-in page has been shown: callers need not report it.
export class SignedOut extends Error {
  constructor() { super('Not signed in'); this.name = 'SignedOut'; }
}

// Remember the CSRF token returned by sign-in or GET /api/v1/session (null forgets it).
export function setCsrfToken(token) { csrfToken = token || null; }

// fn() is called on any 401 except from the session calls themselves.
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

// api(method, path, body?) -> parsed JSON body (null for 204).
// Sends X-CSRF-Token on every non-GET request. Throws ApiError for any non-2xx answer,
// or SignedOut after handing a 401 to the unauthorized handler.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'The server could not be reached', detail: 'Check your connection and try again.' });
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (res.ok) return data;
  if (res.status === 401 && !path.startsWith('/api/v1/session') && unauthorizedHandler) {
    csrfToken = null;
    unauthorizedHandler();
    throw new SignedOut();
  }
  throw new ApiError(res.status, data);
}

// A query string from an object, leaving out empty values: query({q: 'kay', dob: ''}) -> '?q=kay'.
export function query(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

// The session: GET returns {csrf_token, user, expires_at} or null when not signed in.
export async function getSession() {
  try {
    const s = await api('GET', '/api/v1/session');
    setCsrfToken(s && s.csrf_token);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { setCsrfToken(null); return null; }
    throw e;
  }
}

// Sign in; resolves to the session or throws ApiError (401 for any failure).
export async function signIn(username, password) {
  const s = await api('POST', '/api/v1/session', { username, password });
  setCsrfToken(s && s.csrf_token);
  return s;
}

// Sign out; the token is forgotten whatever the answer.
export async function signOut() {
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    setCsrfToken(null);
  }
}

let referencePromise = null;

// The reference lists (sexes, ethnicities, roles, identifier types), fetched once per sign-in.
export function reference() {
  if (!referencePromise) {
    referencePromise = api('GET', '/api/v1/reference').catch((e) => { referencePromise = null; throw e; });
  }
  return referencePromise;
}

// Forget cached data on sign-out.
export function forgetCache() { referencePromise = null; }
