/** Editing one resource with optimistic concurrency: the form is filled from the record read, the
 * ETag read is sent back as If-Match, a 412 offers "Reload", and a draft survives an ended session. */
import type { UseQueryResult } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { useFormDraft } from "./forms";

export interface Versioned<R> {
  data: R;
  etag: string | null;
}

export function useEditableResource<R extends { version: number }, V extends FieldValues>({
  query,
  form,
  toValues,
  draftKey,
}: {
  query: UseQueryResult<Versioned<R>>;
  form: UseFormReturn<V>;
  toValues: (record: R) => V;
  draftKey: string;
}) {
  const [etag, setEtag] = useState<string | null>(null);
  const [initial, setInitial] = useState<V | null>(null);
  const [loadedVersion, setLoadedVersion] = useState<number | null>(null);

  const load = useCallback(
    (result: Versioned<R>) => {
      const values = toValues(result.data);
      form.reset(values);
      setInitial(values);
      // The services' ETag is W/"<version>"; rebuilt from the body if a proxy dropped the header.
      setEtag(result.etag ?? `W/"${result.data.version}"`);
      setLoadedVersion(result.data.version);
    },
    [form, toValues],
  );

  // Fill the form from the first read; a later read replaces it only while nothing was typed (else
  // the ETag kept makes the save answer 412, and the person decides).
  const data = query.data;
  const isDirty = form.formState.isDirty;
  useEffect(() => {
    if (data && data.data.version !== loadedVersion && (loadedVersion === null || !isDirty)) load(data);
  }, [data, loadedVersion, isDirty, load]);

  const { restored } = useFormDraft(draftKey, form, {
    ready: loadedVersion !== null,
    etag,
    onRestore: (saved) => {
      if (saved) setEtag(saved);
    },
  });

  const reload = useCallback(async () => {
    const result = await query.refetch();
    if (result.data) load(result.data);
  }, [query, load]);

  return { etag, initial, restored, reload, accept: load, ready: loadedVersion !== null };
}
