// The person page's identity part (issue 5): filled in by the merge slice.
// personIdentity(ctx, person) -> { actions, top, sections } (each a node, an array of nodes or null).
export async function personIdentity(ctx, person) {
  return { actions: null, top: null, sections: null };
}
