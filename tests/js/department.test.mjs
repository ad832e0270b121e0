// A department's console (/d/<dept>): who sees it at all, and who also gets the miniapp config.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isDepartmentAdmin, isDepartmentStaff } from "../../web/static/js/department/roles.js";

const me = (...roles) => ({ sub: "u1", roles });
const SO_Y_TE = "so-y-te";

test("a department's admin administers it, and only it", () => {
  const admin = me({ role: "department_admin", department: SO_Y_TE });
  assert.equal(isDepartmentAdmin(admin, SO_Y_TE), true);
  assert.equal(isDepartmentAdmin(admin, "so-giao-duc"), false);
  assert.equal(isDepartmentStaff(admin, SO_Y_TE), true);
  assert.equal(isDepartmentStaff(admin, "so-giao-duc"), false);
});

test("an editor is staff (may send notices) but not admin (no miniapp config)", () => {
  const editor = me({ role: "department_editor", department: SO_Y_TE });
  assert.equal(isDepartmentStaff(editor, SO_Y_TE), true);
  assert.equal(isDepartmentAdmin(editor, SO_Y_TE), false);
  assert.equal(isDepartmentStaff(editor, "so-giao-duc"), false);
});

test("a city admin administers every department", () => {
  const city = me({ role: "city_admin" });
  assert.equal(isDepartmentAdmin(city, SO_Y_TE), true);
  assert.equal(isDepartmentStaff(city, "so-giao-duc"), true);
});

test("roles of one department do not leak into another's, and roles add up", () => {
  const both = me({ role: "department_editor", department: "so-giao-duc" }, { role: "department_admin", department: SO_Y_TE });
  assert.equal(isDepartmentAdmin(both, SO_Y_TE), true);
  assert.equal(isDepartmentAdmin(both, "so-giao-duc"), false);
  assert.equal(isDepartmentStaff(both, "so-giao-duc"), true);
});

test("ward staff, residents and visitors are not the department's staff", () => {
  for (const who of [
    me({ role: "ward_admin", ward: "00070" }),
    me({ role: "ward_editor", ward: "00070" }),
    me({ role: "department_admin" }),  // no department named
    me(),
    { sub: "u2" },  // no roles at all
    null,  // not signed in
  ]) {
    assert.equal(isDepartmentStaff(who, SO_Y_TE), false, JSON.stringify(who));
    assert.equal(isDepartmentAdmin(who, SO_Y_TE), false, JSON.stringify(who));
  }
});
