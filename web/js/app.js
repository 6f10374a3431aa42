// safehub's browser UI: start-up, the route table, the signed-in header and client-side
// navigation. The server returns the same shell (index.html) for every UI path; this module
// reads the session, matches location.pathname against ROUTES and asks the page module to
// build its content, which it then puts inside <main>.
//
// Navigation uses history.pushState; same-origin link clicks are intercepted. Each history
// entry carries a random key; pages keep per-entry state (such as a search, whose names are
// sensitive and must never go into the URL) in memory under that key, so it survives Back
// and Forward but not a reload, and is dropped at sign-out.

import { initAll, SkipLink } from '/govuk/govuk-frontend.min.js';
import * as api from './api.js';
import { h, clear } from './dom.js';
import { roleLabel } from './format.js';
import * as signInPage from './pages/sign-in.js';
import * as homePage from './pages/home.js';
import * as searchPage from './pages/search.js';
import * as personPage from './pages/person.js';
import * as personFormPage from './pages/person-form.js';
import * as auditPage from './pages/audit.js';
import * as errorPages from './pages/errors.js';
import * as referralsPage from './pages/referrals.js';
import * as referralPage from './pages/referral.js';
import * as referralFormPage from './pages/referral-form.js';
import * as casesPage from './pages/cases.js';
import * as casePage from './pages/case.js';
import * as caseFormsPage from './pages/case-forms.js';
import * as meetingPage from './pages/meeting.js';
import * as meetingFormPage from './pages/meeting-form.js';
import * as assessmentPage from './pages/assessment.js';
import * as assessmentFormPage from './pages/assessment-form.js';
import * as missingDashboardPage from './pages/missing-dashboard.js';
import * as missingListPage from './pages/missing-list.js';
import * as missingEpisodesPage from './pages/missing-episodes.js';
import * as missingEpisodePage from './pages/missing-episode.js';
import * as missingFormPage from './pages/missing-form.js';
import * as importPage from './pages/import.js';
import * as exportsPage from './pages/exports.js';
import * as matchReviewsPage from './pages/match-reviews.js';
import * as personMergePage from './pages/person-merge.js';
import {
  CAN_READ_PERSONS, CAN_WRITE_PERSONS, CAN_READ_AUDIT, CAN_READ_MISSING, CAN_WRITE_MISSING,
  CAN_REOPEN_MISSING, CAN_DASHBOARD_MISSING, CAN_IMPORT, CAN_EXPORT, CAN_MERGE, CAN_REVIEW_MATCHES,
} from './roles.js';
import {
  CAN_READ_CASES, CAN_WRITE_REFERRALS, CAN_WRITE_CASES, CAN_MANAGE_CASES, CAN_DAILY,
} from './casework.js';

// The route table. auth: needs a signed-in user. nav: which navigation item is current.
// roles: who may open the page (others get "You cannot see this page" without a request).
const ROUTES = [
  { path: /^\/$/, page: homePage, auth: true, nav: 'home' },
  { path: /^\/sign-in$/, page: signInPage, auth: false },
  { path: /^\/persons$/, page: searchPage, auth: true, nav: 'search', roles: CAN_READ_PERSONS },
  { path: /^\/persons\/new$/, page: personFormPage, auth: true, nav: 'new', roles: CAN_WRITE_PERSONS, mode: 'create' },
  { path: /^\/persons\/([1-9][0-9]{0,17})$/, page: personPage, auth: true, nav: 'search', roles: CAN_READ_PERSONS },
  { path: /^\/persons\/([1-9][0-9]{0,17})\/edit$/, page: personFormPage, auth: true, nav: 'search', roles: CAN_WRITE_PERSONS, mode: 'edit' },
  { path: /^\/audit$/, page: auditPage, auth: true, nav: 'audit', roles: CAN_READ_AUDIT },
  // Casework (issue 3).
  { path: /^\/persons\/([1-9][0-9]{0,17})\/referrals\/new$/, page: referralFormPage, auth: true, nav: 'search', roles: CAN_WRITE_REFERRALS },
  { path: /^\/persons\/([1-9][0-9]{0,17})\/assessments\/new$/, page: assessmentFormPage, auth: true, nav: 'search', roles: CAN_WRITE_CASES, mode: 'person' },
  { path: /^\/referrals$/, page: referralsPage, auth: true, nav: 'referrals', roles: CAN_READ_CASES },
  { path: /^\/referrals\/([1-9][0-9]{0,17})$/, page: referralPage, auth: true, nav: 'referrals', roles: CAN_READ_CASES },
  { path: /^\/cases$/, page: casesPage, auth: true, nav: 'cases', roles: CAN_READ_CASES },
  { path: /^\/cases\/([1-9][0-9]{0,17})$/, page: casePage, auth: true, nav: 'cases', roles: CAN_READ_CASES },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/assessments\/new$/, page: assessmentFormPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'case' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/meetings\/new$/, page: meetingFormPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/contacts\/new$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'contact' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/notes\/new$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'note' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/flags\/new$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'flag' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/flags\/([1-9][0-9]{0,17})$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'flag-review' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/feedback\/new$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'feedback' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/transition-plan$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'transition' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/strands$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_WRITE_CASES, mode: 'strands' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/supervisions\/new$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_MANAGE_CASES, mode: 'supervision' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/allocation$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_MANAGE_CASES, mode: 'allocation' },
  { path: /^\/cases\/([1-9][0-9]{0,17})\/closure$/, page: caseFormsPage, auth: true, nav: 'cases', roles: CAN_MANAGE_CASES, mode: 'closure' },
  { path: /^\/meetings\/([1-9][0-9]{0,17})$/, page: meetingPage, auth: true, nav: 'cases', roles: CAN_READ_CASES },
  { path: /^\/assessments\/([1-9][0-9]{0,17})$/, page: assessmentPage, auth: true, nav: 'cases', roles: CAN_READ_CASES },
  // Missing From Home (issue 4).
  { path: /^\/missing$/, page: missingDashboardPage, auth: true, nav: 'missing', roles: CAN_DASHBOARD_MISSING },
  { path: /^\/missing\/list$/, page: missingListPage, auth: true, nav: 'missing', roles: CAN_DASHBOARD_MISSING },
  { path: /^\/missing\/episodes$/, page: missingEpisodesPage, auth: true, nav: 'missing', roles: CAN_READ_MISSING },
  { path: /^\/persons\/([1-9][0-9]{0,17})\/missing\/new$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_WRITE_MISSING, mode: 'create' },
  { path: /^\/missing\/([1-9][0-9]{0,17})$/, page: missingEpisodePage, auth: true, nav: 'missing', roles: CAN_READ_MISSING },
  { path: /^\/missing\/([1-9][0-9]{0,17})\/edit$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_WRITE_MISSING, mode: 'edit' },
  { path: /^\/missing\/([1-9][0-9]{0,17})\/grading$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_WRITE_MISSING, mode: 'grading' },
  { path: /^\/missing\/([1-9][0-9]{0,17})\/return$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_WRITE_MISSING, mode: 'return' },
  { path: /^\/missing\/([1-9][0-9]{0,17})\/rhi$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_WRITE_MISSING, mode: 'rhi' },
  { path: /^\/missing\/([1-9][0-9]{0,17})\/reopen$/, page: missingFormPage, auth: true, nav: 'missing', roles: CAN_REOPEN_MISSING, mode: 'reopen' },
  { path: /^\/imports\/missing$/, page: importPage, auth: true, nav: 'missing', roles: CAN_IMPORT },
  { path: /^\/exports$/, page: exportsPage, auth: true, nav: 'missing', roles: CAN_EXPORT },
  // Identity (issue 5).
  { path: /^\/match-reviews$/, page: matchReviewsPage, auth: true, nav: 'reviews', roles: CAN_REVIEW_MATCHES },
  { path: /^\/persons\/([1-9][0-9]{0,17})\/merge$/, page: personMergePage, auth: true, nav: 'search', roles: CAN_MERGE },
];

const NAV_ITEMS = [
  { key: 'home', href: '/', text: 'Daily tasking', roles: CAN_DAILY },
  { key: 'search', href: '/persons', text: 'Find a person', roles: CAN_READ_PERSONS },
  { key: 'new', href: '/persons/new', text: 'Add a person', roles: CAN_WRITE_PERSONS },
  { key: 'referrals', href: '/referrals', text: 'Referrals', roles: CAN_READ_CASES },
  { key: 'cases', href: '/cases', text: 'Cases', roles: CAN_READ_CASES },
  { key: 'missing', href: '/missing', text: 'Missing', roles: CAN_DASHBOARD_MISSING },
  { key: 'reviews', href: '/match-reviews', text: 'Match reviews', roles: CAN_REVIEW_MATCHES },
  { key: 'audit', href: '/audit', text: 'Audit trail', roles: CAN_READ_AUDIT },
];

const RETURN_KEY = 'safehub.return';

const app = {
  user: null, // the signed-in User from the session, or null
  reference: null, // /api/v1/reference once loaded (for role labels in the header)
  renderSeq: 0, // increases on every render; a slow page whose number is stale is dropped
  currentPath: null, // the pathname last rendered
  currentKey: null, // the history key last rendered
  firstRender: true, // on the first page focus stays at the top (the skip link comes first)
  flash: null, // a message for the next page: {type, heading} (e.g. "Person added")
  memory: new Map(), // history key -> per-entry page state (never persisted)
};

function newKey() {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return `${a[0].toString(36)}${a[1].toString(36)}`;
}

// Go to path (pathname only: the UI never puts data in the query string).
// opts.replace replaces the current history entry instead of adding one.
export function navigate(path, opts = {}) {
  const state = { key: newKey() };
  if (opts.replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  window.scrollTo(0, 0);
  return render();
}

// Only same-origin paths may be returned to after sign-in (no "//host" or "/\host" tricks).
function safeReturnPath(p) {
  return typeof p === 'string' && /^\/(?![/\\])/.test(p) && p !== '/sign-in' ? p : null;
}

function rememberReturn(path) {
  if (safeReturnPath(path)) sessionStorage.setItem(RETURN_KEY, path);
}

// After sign-in: where the user was going, once.
function takeReturn() {
  const p = safeReturnPath(sessionStorage.getItem(RETURN_KEY));
  sessionStorage.removeItem(RETURN_KEY);
  return p || '/';
}

function matchRoute(path) {
  for (const route of ROUTES) {
    const m = route.path.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return { route: null, params: [] };
}

function setTitle(title, { error } = {}) {
  document.title = `${error ? 'Error: ' : ''}${title} – safehub`;
}

// The header: navigation for the user's role, their name and role, and "Sign out".
function renderHeader(route) {
  const section = document.getElementById('service-navigation');
  const list = clear(document.getElementById('navigation'));
  const account = clear(document.getElementById('account'));
  if (!app.user) { section.hidden = true; return; }
  section.hidden = false;
  for (const item of NAV_ITEMS) {
    if (!item.roles.includes(app.user.role)) continue;
    const active = route && route.nav === item.key;
    const current = active && location.pathname === item.href;
    list.append(h('li', { class: ['govuk-service-navigation__item', active && 'govuk-service-navigation__item--active'] },
      h('a', { class: 'govuk-service-navigation__link', href: item.href, 'aria-current': current ? 'page' : (active ? 'true' : null) },
        active ? h('strong', { class: 'govuk-service-navigation__active-fallback', text: item.text }) : item.text)));
  }
  account.append(
    h('span', { class: 'app-account__user' },
      h('span', { class: 'govuk-visually-hidden', text: 'Signed in as ' }),
      h('strong', { text: app.user.display_name || app.user.username }),
      `, ${roleLabel(app.reference, app.user.role)}`),
    h('a', { class: 'govuk-link', href: '/sign-in', id: 'sign-out', onclick: onSignOut, text: 'Sign out' }));
}

async function onSignOut(e) {
  e.preventDefault();
  try { await api.signOut(); } catch { /* the session is gone either way */ }
  app.user = null;
  app.reference = null;
  app.memory.clear();
  api.forgetCache();
  sessionStorage.removeItem(RETURN_KEY);
  app.flash = { type: 'success', heading: 'You have signed out.' };
  navigate('/sign-in');
}

// Called by the sign-in page with the new session.
async function signedIn(session) {
  app.user = session.user;
  app.memory.clear();
  try { app.reference = await api.reference(); } catch { app.reference = null; }
  return navigate(takeReturn(), { replace: true });
}

// The context a page's render(ctx) receives.
function pageContext(route, params) {
  const key = history.state && history.state.key;
  if (!app.memory.has(key)) app.memory.set(key, {});
  return {
    user: app.user,
    params,
    mode: route && route.mode,
    memory: app.memory.get(key), // state for this history entry: survives Back/Forward, not reload
    navigate,
    setTitle,
    signedIn,
    // Sets a message shown by the next page rendered.
    flash(msg) { app.flash = msg; },
    takeFlash() { const f = app.flash; app.flash = null; return f; },
    // Re-run the current route (e.g. "reload the latest version").
    reload: () => render(),
  };
}

// Render the page for location.pathname. Safe to call again before the last one finished:
// only the newest result is shown.
async function render() {
  const seq = ++app.renderSeq;
  const path = location.pathname;
  app.currentPath = path;
  app.currentKey = history.state && history.state.key;
  const { route, params } = matchRoute(path);

  if (route && route.auth && !app.user) {
    rememberReturn(path);
    return navigate('/sign-in', { replace: true });
  }
  if (route === ROUTES[1] && app.user) return navigate('/', { replace: true });

  renderHeader(route);
  let result;
  try {
    if (!route) result = errorPages.notFound();
    else if (route.roles && !route.roles.includes(app.user.role)) result = errorPages.forbidden();
    else result = await route.page.render(pageContext(route, params));
  } catch (e) {
    if (e instanceof api.SignedOut) return undefined;
    result = errorPages.fromError(e);
  }
  if (seq !== app.renderSeq) return undefined;
  mount(result);
  return undefined;
}

function mount(result) {
  const main = clear(document.getElementById('main-content'));
  const node = h('div', { class: 'app-page' }, result.node);
  main.append(node);
  setTitle(result.title, { error: result.error });
  initAll({ scope: node });
  if (result.afterMount) result.afterMount();
  if (!app.firstRender && !result.focusHandled) {
    const heading = node.querySelector('[data-page-heading]');
    if (heading) heading.focus({ preventScroll: true });
  }
  app.firstRender = false;
}

// Follow same-origin links without reloading the page. Leaves alone: modified clicks, new
// windows, downloads, in-page fragments (#main-content, error summary links), API and assets.
function onDocumentClick(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
  const url = new URL(a.getAttribute('href'), location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname === location.pathname && url.hash) return;
  if (/^\/(api|govuk)\//.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.pathname);
}

function onPopState() {
  const key = history.state && history.state.key;
  // A fragment link (skip link, error summary) adds an entry with no state: not a new page.
  if (location.pathname === app.currentPath && (!key || key === app.currentKey)) return;
  if (!key) history.replaceState({ key: newKey() }, '', location.pathname);
  render();
}

async function start() {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  const skip = document.querySelector('[data-module="govuk-skip-link"]');
  if (skip) new SkipLink(skip); // eslint-disable-line no-new
  document.addEventListener('click', onDocumentClick);
  window.addEventListener('popstate', onPopState);
  // A 401 inside an event handler (a search, a save) has already sent the user to sign in;
  // any other failure there gets the "problem with the service" page rather than nothing.
  window.addEventListener('unhandledrejection', (e) => {
    if (e.reason instanceof api.SignedOut) { e.preventDefault(); return; }
    if (e.reason instanceof api.ApiError) {
      e.preventDefault();
      mount(errorPages.fromError(e.reason));
    }
  });
  api.onUnauthorized(() => {
    const wasSignedIn = Boolean(app.user);
    app.user = null;
    app.memory.clear();
    api.forgetCache();
    rememberReturn(location.pathname);
    if (wasSignedIn) app.flash = { type: 'important', heading: 'Your session has ended. Sign in again to continue.' };
    navigate('/sign-in', { replace: true });
  });
  if (!history.state || !history.state.key) history.replaceState({ key: newKey() }, '', location.pathname);
  try {
    const session = await api.getSession();
    app.user = session ? session.user : null;
    if (app.user) {
      try { app.reference = await api.reference(); } catch { app.reference = null; }
    }
  } catch (e) {
    app.user = null;
  }
  render();
}

start();
