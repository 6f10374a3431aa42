// The person page's missing-from-home part (issue 4): filled in by the missing slice.
// personMissing(ctx, person) -> { actions, top, sections } (each a node, an array of nodes or null).
export async function personMissing(ctx, person) {
  return { actions: null, top: null, sections: null };
}
