/** Assign a planned case to an inspector, or re-assign it before work starts (province officers;
 * `POST /v1/inspection-cases/{id}/assign` with If-Match). There is no directory of inspectors the
 * province may read (the issuer's account list is for administrators), so the inspectors already
 * working cases of the area are offered, and another account's subject can be typed. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Button, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Api } from "@/api/client";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { ProblemAlert } from "@/components/ProblemAlert";
import { fieldErrorMessage } from "@/lib/problemText";
import { type Case, inspectionKey } from "./queries";

export const CASE_ASSIGNERS = ["province_officer"] as const;

/** The inspectors assigned to cases the caller can see (the latest 100 cases), most used first. */
export function knownInspectorsQuery(api: Api) {
  return {
    queryKey: [...inspectionKey, "known-inspectors"],
    queryFn: async ({ signal }: { signal: AbortSignal }) => {
      const page = await unwrap(
        api.inspection.GET("/v1/inspection-cases", { params: { query: { limit: 100 } }, signal }),
      );
      return knownInspectors(page.items);
    },
    staleTime: 60_000,
  };
}

export function knownInspectors(cases: readonly Pick<Case, "assigned_inspector">[]): string[] {
  const counts = new Map<string, number>();
  for (const c of cases)
    if (c.assigned_inspector) counts.set(c.assigned_inspector, (counts.get(c.assigned_inspector) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([subject]) => subject);
}

export function assignCase(api: Api, caseId: string, etag: string, inspector: string, dueOn: string) {
  return unwrap(
    api.inspection.POST("/v1/inspection-cases/{case_id}/assign", {
      params: { path: { case_id: caseId }, header: { "If-Match": etag } },
      body: { inspector_subject: inspector.trim(), ...(dueOn ? { due_on: dueOn } : {}) },
    }),
  );
}

export function AssignCaseButton({ inspectionCase, etag }: { inspectionCase: Case; etag: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [inspector, setInspector] = useState("");
  const [dueOn, setDueOn] = useState("");
  const [fieldError, setFieldError] = useState<{ inspector?: string; due?: string }>({});
  const [problem, setProblem] = useState<unknown>(null);
  const known = useQuery({ ...knownInspectorsQuery(api), enabled: open });
  const mutation = useMutation({
    mutationFn: () => assignCase(api, inspectionCase.id, etag, inspector, dueOn),
    onMutate: () => {
      setProblem(null);
      setFieldError({});
    },
    onSuccess: async () => {
      setOpen(false);
      void message.success(t("inspection.assign.done"));
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
    },
    onError: (error) => {
      const p = toProblem(error);
      const next: { inspector?: string; due?: string } = {};
      for (const e of p.errors) {
        const words = t(fieldErrorMessage(e, i18n) as "fieldErrors.invalid", { defaultValue: e.message });
        if (e.field === "inspector_subject") next.inspector = words;
        if (e.field === "due_on") next.due = words;
      }
      setFieldError(next);
      setProblem(p);
    },
  });
  if (!hasRole(user, CASE_ASSIGNERS) || !inspectionCase.allowed_actions.includes("assign")) return null;
  const reassign = inspectionCase.assigned_inspector !== null;
  const title = t(reassign ? "inspection.assign.reassign" : "inspection.assign.assign");
  const submit = () => {
    if (!inspector.trim()) {
      setFieldError({ inspector: t("validation.required") });
      return;
    }
    mutation.mutate();
  };
  return (
    <>
      <Button
        onClick={() => {
          setInspector(inspectionCase.assigned_inspector ?? "");
          setDueOn(inspectionCase.due_on ?? "");
          setFieldError({});
          setProblem(null);
          setOpen(true);
        }}
      >
        {title}
      </Button>
      <Modal
        open={open}
        title={title}
        okText={title}
        cancelText={t("common.cancel")}
        confirmLoading={mutation.isPending}
        onOk={submit}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form layout="vertical" onFinish={submit}>
          <Form.Item
            label={t("inspection.assign.inspector")}
            htmlFor="assign-inspector"
            required
            validateStatus={fieldError.inspector ? "error" : undefined}
            help={fieldError.inspector ?? t("inspection.assign.inspectorHelp")}
          >
            <AutoComplete
              id="assign-inspector"
              value={inspector}
              onChange={setInspector}
              options={(known.data ?? []).map((subject) => ({ value: subject, label: subject }))}
              maxLength={200}
            />
          </Form.Item>
          <Form.Item
            label={t("inspection.assign.dueOn")}
            htmlFor="assign-due"
            validateStatus={fieldError.due ? "error" : undefined}
            help={fieldError.due}
          >
            <Input id="assign-due" type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} />
          </Form.Item>
        </Form>
        <ProblemAlert error={problem} />
      </Modal>
    </>
  );
}
