/* Placeholder: filled in by the module that owns this section. */
export default async function section() {}
