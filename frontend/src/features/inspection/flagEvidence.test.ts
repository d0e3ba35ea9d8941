import { describe, expect, it } from "vitest";
import { createI18n } from "@/i18n";
import { evidenceLines } from "./flagEvidence";

describe("a flag's evidence in words", () => {
  it("names each key, reads dates, money, ids, lists and known codes", async () => {
    const i18n = createI18n("vi");
    const lines = (evidence: Record<string, unknown>) =>
      evidenceLines(evidence, i18n.t, i18n).map((l) => `${l.label}: ${l.value}`);
    expect(
      lines({
        rule_code: "RESALE_LOCK_5Y",
        signed_on: "2023-05-10",
        within_lock: true,
        buyer_person_id: "01960000-0000-7000-8000-00000000d002",
        lock_years: 5,
        fully_paid_on: null,
      }),
    ).toEqual([
      "Quy định: RESALE_LOCK_5Y",
      "Ngày ký hợp đồng: 10/05/2023",
      "Trong thời hạn cấm bán: Có",
      "Mã người mua: 01960000…",
      "Thời hạn cấm bán (năm): 5",
    ]);
    expect(
      lines({
        scope: "household",
        rule_codes: ["ONLY_ONCE_A", "ONLY_ONCE_B"],
        supports: [{ kind: "repair" }, { kind: "new_build" }],
        money_due_vnd: 1250000000,
        reason: "unknown_borrower",
        made_up_key: "x",
      }),
    ).toEqual([
      "Phạm vi: Cả hộ",
      "Quy định: ONLY_ONCE_A, ONLY_ONCE_B",
      "Các lần hỗ trợ: 2 mục",
      "Số tiền phải nộp: 1.250.000.000 ₫",
      "Lý do: Người vay không có trong sổ hộ",
      "made_up_key: x",
    ]);
    await i18n.changeLanguage("en");
    expect(evidenceLines({ missed_stage: "cleared", due_on: "2026-06-30" }, i18n.t, i18n)).toEqual([
      { key: "missed_stage", label: "Stage overdue", value: "cleared" },
      { key: "due_on", label: "Due on", value: "30/06/2026" },
    ]);
  });
});
