/** Pick a person (or their household) by name instead of typing an id: what is typed goes to
 * `/v1/persons/search`, which folds diacritics, so "nguyen van duc" finds "Nguyễn Văn Đức". */
import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import type { TFunction } from "i18next";
import { type FocusEventHandler, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "@/app/services";
import { type Person, type PersonHit, personSearchQuery } from "./queries";

/** What a picker needs to name someone (a search hit or a household member). */
export type PickablePerson = Pick<
  PersonHit | Person,
  "id" | "household_id" | "full_name" | "relationship" | "birth_year" | "citizen_id_masked" | "commune_code"
>;

export function personLabel(p: PickablePerson, t: TFunction): string {
  const line = t("householdForms.picker.line", {
    name: p.full_name,
    relationship: t(`households.relationships.${p.relationship}`),
    year: p.birth_year,
  });
  return p.citizen_id_masked ? `${line} — ${p.citizen_id_masked}` : line;
}

/** The search term once typing pauses. */
function useSettled(value: string, ms = 250): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface CommonProps {
  id?: string;
  /** "person" gives person ids (default); "household" gives the household of the person picked. */
  pick?: "person" | "household";
  /** Offered before anything is typed (e.g. the applicant's household members). */
  suggestions?: PickablePerson[];
  onBlur?: FocusEventHandler<HTMLElement>;
  status?: "error";
  disabled?: boolean;
  allowClear?: boolean;
  /** Called with the person behind a new choice (null when cleared). */
  onPick?: (person: PickablePerson | null) => void;
}

type Props = CommonProps &
  (
    | { mode?: undefined; value: string | null | undefined; onChange: (value: string) => void }
    | { mode: "multiple"; value: string[]; onChange: (value: string[]) => void }
  );

export function PersonPicker(props: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [typed, setTyped] = useState("");
  const term = useSettled(typed.trim());
  const search = useQuery(personSearchQuery(api, term));
  const pick = props.pick ?? "person";
  const keyOf = (p: PickablePerson) => (pick === "household" ? p.household_id : p.id);
  // Everyone seen, so a chosen value keeps its name after the search moves on.
  const known = useRef(new Map<string, PickablePerson>());
  const hits = term.length >= 2 ? (search.data?.items ?? []) : [];
  for (const p of [...(props.suggestions ?? []), ...hits]) known.current.set(keyOf(p), p);

  const shown = new Map<string, PickablePerson>();
  const selected = props.mode === "multiple" ? props.value : props.value ? [props.value] : [];
  for (const key of selected) {
    const p = known.current.get(key);
    if (p) shown.set(key, p);
  }
  for (const p of [...(term.length >= 2 ? [] : (props.suggestions ?? [])), ...hits]) {
    if (!shown.has(keyOf(p))) shown.set(keyOf(p), p);
  }
  const options = [...shown.entries()].map(([value, p]) => ({
    value,
    label:
      pick === "household"
        ? `${personLabel(p, t)} · ${t("householdForms.picker.household", { commune: p.commune_code })}`
        : personLabel(p, t),
  }));
  const notFound =
    term.length < 2
      ? t("householdForms.picker.typeMore")
      : search.isFetching
        ? t("householdForms.picker.searching")
        : t("householdForms.picker.none");

  const common = {
    id: props.id,
    showSearch: { filterOption: false, onSearch: setTyped, searchValue: typed },
    options,
    loading: search.isFetching,
    notFoundContent: notFound,
    placeholder: t("householdForms.picker.placeholder"),
    onBlur: props.onBlur,
    status: props.status,
    disabled: props.disabled,
    allowClear: props.allowClear,
    style: { width: "100%" },
  } as const;
  if (props.mode === "multiple") {
    return (
      <Select<string[]>
        {...common}
        mode="multiple"
        value={props.value}
        onChange={(value) => {
          setTyped("");
          props.onChange(value);
        }}
      />
    );
  }
  return (
    <Select<string>
      {...common}
      value={props.value || undefined}
      onChange={(value) => {
        setTyped("");
        props.onChange(value ?? "");
        props.onPick?.(value ? (known.current.get(value) ?? null) : null);
      }}
    />
  );
}
