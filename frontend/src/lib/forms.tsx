/** react-hook-form + antd: a field wrapper, server field errors onto fields, and drafts kept across
 * an ended session. */
import { Form } from "antd";
import { type ReactNode, useEffect, useRef, useState } from "react";
import {
  type Control,
  Controller,
  type ControllerRenderProps,
  type FieldValues,
  type Path,
  type PathValue,
  type UseFormReturn,
} from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { ApiProblem, FieldProblem } from "@/api/problem";
import { useServices } from "@/app/services";
import { translateMessage } from "./messages";
import { fieldErrorMessage } from "./problemText";

export interface FormFieldProps<V extends FieldValues, N extends Path<V>> {
  control: Control<V>;
  name: N;
  label: string;
  required?: boolean;
  help?: string;
  children: (field: ControllerRenderProps<V, N> & { id: string }, invalid: boolean) => ReactNode;
}

/** One labelled antd field bound to the form; its error (client or server) shows under it. */
export function FormField<V extends FieldValues, N extends Path<V>>({
  control,
  name,
  label,
  required,
  help,
  children,
}: FormFieldProps<V, N>) {
  const { t, i18n } = useTranslation();
  const id = `field-${name.replace(/\./g, "-")}`;
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Form.Item
          label={label}
          required={required}
          htmlFor={id}
          validateStatus={fieldState.error ? "error" : undefined}
          help={fieldState.error?.message ? translateMessage(fieldState.error.message, t, i18n) : help}
        >
          {children({ ...field, id }, Boolean(fieldState.error))}
        </Form.Item>
      )}
    />
  );
}

/** Put a 422's field errors next to their fields; returns those that name no field of this form. */
export function applyServerErrors<V extends FieldValues>(
  problem: ApiProblem,
  form: UseFormReturn<V>,
  fields: readonly string[],
  i18n: Parameters<typeof fieldErrorMessage>[1],
): FieldProblem[] {
  const unmatched: FieldProblem[] = [];
  let first = true;
  for (const error of problem.errors) {
    if (error.field && fields.includes(error.field)) {
      form.setError(
        error.field as Path<V>,
        { type: "server", message: fieldErrorMessage(error, i18n) },
        { shouldFocus: first },
      );
      first = false;
    } else {
      unmatched.push(error);
    }
  }
  return unmatched;
}

/** Keep what the person typed when their session ends (saved by the session before it leaves the
 * page), and put it back once the form is ready again. `etag` is saved with it, so a restored edit
 * still detects someone else's change. */
export function useFormDraft<V extends FieldValues>(
  key: string,
  form: UseFormReturn<V>,
  options: { ready: boolean; etag?: string | null; onRestore?: (etag: string | undefined) => void },
): { restored: boolean } {
  const { drafts } = useServices();
  const [restored, setRestored] = useState(false);
  const etagRef = useRef(options.etag ?? undefined);
  etagRef.current = options.etag ?? undefined;
  const onRestore = useRef(options.onRestore);
  onRestore.current = options.onRestore;
  // Reading isDirty subscribes this hook to it.
  const dirty = form.formState.isDirty;
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  useEffect(
    () =>
      drafts.register(key, () =>
        dirtyRef.current ? { values: form.getValues(), etag: etagRef.current } : null,
      ),
    [drafts, key, form],
  );

  const taken = useRef(false);
  useEffect(() => {
    if (!options.ready || taken.current) return;
    taken.current = true;
    const draft = drafts.take<Partial<V>>(key);
    if (!draft || typeof draft.values !== "object" || draft.values === null) return;
    for (const [name, value] of Object.entries(draft.values)) {
      form.setValue(name as Path<V>, value as PathValue<V, Path<V>>, { shouldDirty: true });
    }
    onRestore.current?.(draft.etag);
    setRestored(true);
  }, [options.ready, drafts, key, form]);

  return { restored };
}

/** After a successful save the draft is not needed any more. */
export function useDiscardDraft(key: string): () => void {
  const { drafts } = useServices();
  return () => drafts.discard(key);
}
