/** Quick lookups for pages with big antd tables: `getByRole` computes every element's accessible
 * name and style, which takes seconds per call in jsdom on a busy machine. */
import { waitFor } from "@testing-library/react";

/** The enabled or disabled <button> whose text is exactly `name` (null when `required` is false and
 * there is none). */
export function button(container: HTMLElement, name: string, required?: true): HTMLButtonElement;
export function button(container: HTMLElement, name: string, required: false): HTMLButtonElement | null;
export function button(container: HTMLElement, name: string, required = true): HTMLButtonElement | null {
  const found = [...container.querySelectorAll("button")].find((b) => b.textContent?.trim() === name) ?? null;
  if (!found && required) throw new Error(`no button "${name}"`);
  return found;
}

/** The open antd dialog. */
export async function dialog(): Promise<HTMLElement> {
  let found: HTMLElement | null = null;
  await waitFor(() => {
    const dialogs = [...document.querySelectorAll<HTMLElement>(".ant-modal")];
    found = dialogs.at(-1) ?? null;
    if (!found) throw new Error("no dialog");
  });
  return found as unknown as HTMLElement;
}
