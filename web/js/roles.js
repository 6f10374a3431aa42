// Who may use what, as docs/api.md states it. The server enforces these; the UI uses them only
// to leave out links and pages that would answer 403.

export const CAN_READ_PERSONS = ['manager', 'practitioner', 'police_intel', 'analyst'];
export const CAN_WRITE_PERSONS = ['manager', 'practitioner', 'police_intel'];
export const CAN_READ_AUDIT = ['admin'];

// Missing From Home (issue 4): docs/api-missing.md.
export const CAN_READ_MISSING = ['manager', 'practitioner', 'police_intel', 'analyst'];
export const CAN_WRITE_MISSING = ['manager', 'practitioner', 'police_intel'];
export const CAN_REOPEN_MISSING = ['manager'];
export const CAN_DASHBOARD_MISSING = ['manager', 'practitioner', 'police_intel', 'analyst'];
export const CAN_IMPORT = ['manager', 'police_intel'];
export const CAN_EXPORT = ['manager', 'analyst'];

// Identity (issue 5): docs/api-identity.md.
export const CAN_MERGE = ['manager'];
export const CAN_REVIEW_MATCHES = ['manager', 'practitioner', 'police_intel'];
