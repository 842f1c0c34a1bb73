// Defines an assignor but forgets to export it.
const assignor = { name: 'forgotten', assign: () => ({}) };
export const version = assignor.name.length;
