/* Pure helpers of the department console: which of its parts the signed-in person may use.
   No DOM here, so that `node --test` can run them. The API decides every permission; the page
   only hides what the person's roles cannot use. */

/** Whether `me` administers the department (its department_admin, or a city admin). */
export function isDepartmentAdmin(me, code) {
  return ((me && me.roles) || []).some((r) => r.role === "city_admin"
    || (r.role === "department_admin" && r.department === code));
}

/** Whether `me` is staff of the department (its admin or editor, or a city admin). */
export function isDepartmentStaff(me, code) {
  return isDepartmentAdmin(me, code) || ((me && me.roles) || []).some((r) =>
    r.role === "department_editor" && r.department === code);
}
