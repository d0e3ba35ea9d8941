import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { emptyHead, emptyMember, emptyRegistration, registrationBody, registrationSchema } from "./register";

const HH = "0190e1c2-0000-7000-8000-0000000000a9";
const COMMUNE = {
  scheme: "2025",
  level: "commune",
  code: "10525",
  name: "Phường Hải Dương",
  division_type: "phường",
  codename: "phuong_hai_duong",
  parent_code: "31",
  valid_from: "2025-07-01",
  valid_to: null,
  source: "test",
};

function filled() {
  return {
    ...emptyRegistration("10525"),
    address: " Số 5 ngõ 12 ",
    head: {
      ...emptyHead(),
      full_name: "Nguyễn Văn Đức",
      date_of_birth: "1980-05-12",
      citizen_id: "031 080 123 456",
      phone: "0912 345 678",
    },
    members: [{ ...emptyMember(), full_name: "Trần Thị Hoa", gender: "female" as const, birth_year: 1983 }],
  };
}

describe("registering a household: the form's data", () => {
  it("needs the head's 12-digit citizen ID; a 9-digit one is said to be an old ID card", () => {
    const v = filled();
    expect(registrationSchema.safeParse(v).success).toBe(true);
    const issues = (head: Partial<typeof v.head>) =>
      registrationSchema
        .safeParse({ ...v, head: { ...v.head, ...head } })
        .error?.issues.map((i) => i.message);
    expect(issues({ citizen_id: "" })).toEqual(["validation.required"]);
    expect(issues({ citizen_id: "031456789" })).toEqual(["householdForms.validation.citizenIdLegacy"]);
    expect(issues({ citizen_id: "03108012345" })).toEqual(["householdForms.validation.citizenIdDigits"]);
    expect(issues({ phone: "12345" })).toEqual(["householdForms.validation.phone"]);
    expect(issues({ date_of_birth: "", birth_year: null })).toEqual([
      "householdForms.validation.birthNeeded",
    ]);
    expect(issues({ birth_year: 1981 })).toEqual(["householdForms.validation.birthYearDisagrees"]);
    // A member without a citizen ID is fine.
    expect(v.members[0]?.citizen_id).toBe("");
  });

  it("sends digits only, the date or else the year, and leaves out what is empty", () => {
    expect(registrationBody(filled(), "31")).toEqual({
      province_code: "31",
      commune_code: "10525",
      address: "Số 5 ngõ 12",
      residence_area: "rural",
      head: {
        full_name: "Nguyễn Văn Đức",
        gender: "male",
        date_of_birth: "1980-05-12",
        citizen_id: "031080123456",
        phone: "0912345678",
      },
      members: [{ full_name: "Trần Thị Hoa", gender: "female", birth_year: 1983, relationship: "spouse" }],
    });
  });
});

describe("registering a household: the page", () => {
  it("sends the household with its members; the service's field errors go next to the member's field", {
    timeout: 40_000,
  }, async () => {
    const bodies: unknown[] = [];
    let refuse = true;
    const app = renderApp({
      path: "/households/new",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/admin-units/10525": () => json(COMMUNE),
        "POST /api/registry/v1/households": async (request) => {
          bodies.push(await request.json());
          if (refuse) {
            refuse = false;
            return problem(422, "citizen_id_inconsistent", {
              errors: [
                {
                  pointer: "/body/members/0/citizen_id",
                  code: "citizen_id_birth_year_mismatch",
                  message: "digits 5-6 are not the last two digits of the birth year",
                },
              ],
            });
          }
          return json({ id: HH }, { status: 201 });
        },
        [`GET /api/registry/v1/households/${HH}`]: () => problem(404, "household_not_found"),
      },
    });
    const head = await screen.findByTestId("head");
    // The one commune of a commune officer is chosen already.
    await waitFor(() => expect(screen.getByText("Phường Hải Dương (10525)")).toBeInTheDocument());
    fireEvent.change(screen.getByLabelText("Địa chỉ"), { target: { value: "Số 5 ngõ 12" } });
    fireEvent.change(within(head).getByLabelText("Họ và tên"), { target: { value: "Nguyễn Văn Đức" } });
    fireEvent.change(within(head).getByLabelText("Ngày sinh"), { target: { value: "1980-05-12" } });
    fireEvent.change(within(head).getByLabelText("Số định danh cá nhân (CCCD)"), {
      target: { value: "031080123456" },
    });
    fireEvent.click(button(document.body, "Thêm thành viên"));
    const member = await screen.findByTestId("member-0");
    fireEvent.change(within(member).getByLabelText("Họ và tên"), { target: { value: "Trần Thị Hoa" } });
    fireEvent.change(within(member).getByLabelText("Năm sinh (khi không rõ ngày sinh)"), {
      target: { value: "1983" },
    });
    fireEvent.change(within(member).getByLabelText("Số định danh cá nhân (CCCD)"), {
      target: { value: "031190000001" },
    });
    fireEvent.click(button(document.body, "Đăng ký hộ"));

    expect(await within(member).findByText("Chữ số thứ 5 và 6 không khớp với năm sinh.")).toBeInTheDocument();
    expect(screen.getByTestId("problem")).toHaveTextContent("Số CCCD không khớp với năm sinh hoặc giới tính");
    expect(bodies[0]).toMatchObject({
      province_code: "31",
      commune_code: "10525",
      head: { citizen_id: "031080123456", date_of_birth: "1980-05-12" },
      members: [
        { full_name: "Trần Thị Hoa", birth_year: 1983, relationship: "spouse", citizen_id: "031190000001" },
      ],
    });

    fireEvent.change(within(member).getByLabelText("Số định danh cá nhân (CCCD)"), {
      target: { value: "031183000001" },
    });
    fireEvent.click(button(document.body, "Đăng ký hộ"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/households/${HH}`));
    expect(bodies).toHaveLength(2);
  });

  it("checks the form before sending anything", async () => {
    const app = renderApp({
      path: "/households/new",
      user: USERS.commune,
      routes: { "GET /api/registry/v1/admin-units/10525": () => json(COMMUNE) },
    });
    const head = await screen.findByTestId("head");
    fireEvent.change(within(head).getByLabelText("Số định danh cá nhân (CCCD)"), {
      target: { value: "031456789" },
    });
    fireEvent.click(button(document.body, "Đăng ký hộ"));
    expect(
      await within(head).findByText("Đây là số CMND cũ (9 số); hãy nhập số CCCD 12 số."),
    ).toBeInTheDocument();
    expect(within(head).getByText("Nhập ngày sinh hoặc năm sinh.")).toBeInTheDocument();
    expect(app.calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("is not offered to auditors", async () => {
    renderApp({ path: "/households/new", user: USERS.auditor, routes: {} });
    expect(await screen.findByText("Không có quyền truy cập")).toBeInTheDocument();
  });
});
