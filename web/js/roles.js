// Who may use what, as docs/api.md states it. The server enforces these; the UI uses them only
// to leave out links and pages that would answer 403.

export const CAN_READ_PERSONS = ['manager', 'practitioner', 'police_intel', 'analyst'];
export const CAN_WRITE_PERSONS = ['manager', 'practitioner', 'police_intel'];
export const CAN_READ_AUDIT = ['admin'];
