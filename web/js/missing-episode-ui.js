// Shared pieces of the missing-episode pages (issue 4, docs/api-missing.md): the words for the
// episode's codes (missing from, category, placement type, out of area, who does the return
// home interview), GOV.UK tags for the episode status, the police risk grading and the RHI
// status, and how long an episode lasted. Used by pages/missing-episodes.js,
// pages/missing-episode.js, pages/missing-form.js and person-missing.js. Builds nodes from text
// only; it talks to no API and touches no DOM outside the nodes it returns.

import { h } from './dom.js';
import { tag } from './govuk.js';
import { fullName } from './format.js';
import { hoursUntil } from './casework.js';

export const MISSING_FROM = [
  { value: 'home', text: 'Home' },
  { value: 'care', text: 'Care placement' },
  { value: 'education', text: 'Education' },
  { value: 'other', text: 'Somewhere else' },
];

export const CATEGORIES = [
  { value: 'M', text: 'Missing: whereabouts unknown' },
  { value: 'A', text: 'Away from placement without authorisation: whereabouts known' },
];

export const GRADES = [
  { value: 'none', text: 'No apparent risk' },
  { value: 'low', text: 'Low risk' },
  { value: 'medium', text: 'Medium risk' },
  { value: 'high', text: 'High risk' },
];

export const PLACEMENT_TYPES = [
  { value: '', text: 'Not placed, or not known' },
  { value: 'foster', text: 'Foster care' },
  { value: 'residential', text: 'Residential (children’s home)' },
  { value: 'kinship', text: 'Kinship care' },
  { value: 'semi_independent', text: 'Semi-independent accommodation' },
  { value: 'secure', text: 'Secure accommodation' },
  { value: 'other', text: 'Other placement' },
];

// The text for value in a [{value, text}] list ('' for none; the value itself when unknown).
export function textFor(list, value) {
  if (value === null || value === undefined || value === '') return '';
  const hit = list.find((x) => x.value === value);
  return hit ? hit.text : String(value);
}

const GRADE_COLOUR = { none: 'grey', low: 'green', medium: 'yellow', high: 'red' };

// A police risk grading as a tag ("High risk" in red); "Not graded" in grey for none given.
export function gradeTag(grade) {
  return grade ? tag(textFor(GRADES, grade), GRADE_COLOUR[grade] || 'grey') : tag('Not graded', 'grey');
}

// The episode's status: "Missing now" (red) while there is no end, else "Returned" (green).
export function statusTag(ep) {
  return ep.status === 'missing' || (!ep.ended_at && ep.status !== 'returned')
    ? tag('Missing now', 'red') : tag('Returned', 'green');
}

const RHI_STATUS = {
  breached: ['Breached', 'red'],
  due: ['Due', 'yellow'],
  offered: ['Offered', 'yellow'],
  completed: ['Completed', 'green'],
  declined: ['Declined', 'grey'],
};

// The return home interview's status as a tag: breached red, due and offered yellow, completed
// green, declined grey. With no status: "Not due yet" while missing, or "Other authority" when
// the other authority does the interview and nothing has been recorded here.
export function rhiTag(ep) {
  const s = RHI_STATUS[ep.rhi_status];
  if (s) return tag(s[0], s[1]);
  if (ep.status === 'missing' || !ep.ended_at) return tag('Not due yet', 'grey');
  if (ep.rhi_by === 'other') return tag('Other authority', 'grey');
  return tag('None', 'grey');
}

// The other authority in an out-of-area episode (the placing one when placed here, the host
// one when placed elsewhere), or ''.
export function otherAuthority(ep) {
  const p = ep.placement || {};
  if (ep.out_of_area === 'placed_here') return p.placing_authority || '';
  if (ep.out_of_area === 'placed_elsewhere') return p.host_authority || '';
  return '';
}

// "Placed here by Westshire", "Ours, placed in Eastshire", or "No".
export function outOfAreaText(ep) {
  const p = ep.placement || {};
  if (ep.out_of_area === 'placed_here') return `Yes: placed here by ${p.placing_authority || 'another authority'}`;
  if (ep.out_of_area === 'placed_elsewhere') return `Yes: ours, placed in ${p.host_authority || 'another authority'}`;
  return 'No';
}

// Who does the return home interview: "Us" or "Westshire (the other authority)".
export function rhiByText(ep) {
  if (ep.rhi_by === 'other') {
    const other = otherAuthority(ep);
    return other ? `${other} (the other authority)` : 'The other authority';
  }
  return 'Us';
}

// Hours as words: "less than an hour", "5 hours", "2 days 3 hours".
export function hoursText(hours) {
  if (typeof hours !== 'number' || Number.isNaN(hours)) return '';
  const a = Math.max(0, hours);
  if (a < 1) return 'less than an hour';
  if (a < 48) {
    const n = Math.floor(a);
    return `${n} hour${n === 1 ? '' : 's'}`;
  }
  const d = Math.floor(a / 24);
  const rest = Math.floor(a - d * 24);
  return `${d} days${rest ? ` ${rest} hour${rest === 1 ? '' : 's'}` : ''}`;
}

// How long the episode lasted (to the return, or so far while missing).
export function durationText(ep) {
  const t = hoursText(ep.duration_hours);
  if (!t) return '';
  return ep.status === 'missing' ? `${t} so far` : t;
}

// Time left to the RHI due time for an interview still to be done, in hours as the 72-hour
// standard counts ("71 hours left", "less than an hour left", "Overdue by 5 hours", past two
// days "Overdue by 3 days"); '' when there is no due time or the interview is done or declined.
export function rhiTimeLeft(ep) {
  if (!ep.rhi_due_at || ep.rhi_status === 'completed' || ep.rhi_status === 'declined') return '';
  const hours = hoursUntil(ep.rhi_due_at);
  const late = ep.rhi_status === 'breached' || hours < 0;
  const a = Math.abs(hours);
  let words = a < 1 ? 'less than an hour' : `${a} hour${a === 1 ? '' : 's'}`;
  if (late && a >= 48) words = `${Math.floor(a / 24)} days`;
  return late ? `Overdue by ${words}` : `${words} left`;
}

// A person's name from an episode's person (or "Person 42").
export function personName(p, id) {
  if (!p) return id ? `Person ${id}` : '';
  return fullName(p) || `Person ${p.id}`;
}

// Yes / No / '' for true / false / null.
export function yesNo(b) {
  if (b === true) return 'Yes';
  if (b === false) return 'No';
  return '';
}

// A line of tags separated by spaces.
export function tagLine(tags, id) {
  const list = tags.filter(Boolean);
  return h('p', { class: 'govuk-body app-tags', id }, list.flatMap((t, i) => (i ? [' ', t] : [t])));
}
