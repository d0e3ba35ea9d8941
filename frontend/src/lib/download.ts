/** Files fetched with the bearer token (a plain link would go without it), then handed to the browser
 * as a download; and the services' csv (UTF-8 with BOM, `;` or `,`) read into rows. */
import { ApiProblem, type FetchResult, problemFromResponse, toProblem } from "@/api/problem";

/** The file's name from Content-Disposition, else the fallback. */
export function fileName(response: Response, fallback: string): string {
  const header = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

export async function fetchBlob(
  call: Promise<FetchResult<unknown>>,
): Promise<{ blob: Blob; response: Response }> {
  let result: FetchResult<unknown>;
  try {
    result = await call;
  } catch (exc) {
    throw toProblem(exc);
  }
  if (!result.response.ok || result.error !== undefined)
    throw problemFromResponse(result.response, result.error);
  if (!(result.data instanceof Blob))
    throw new ApiProblem({ status: 0, code: "unknown", detail: "not a file" });
  return { blob: result.data, response: result.response };
}

export function saveBlob(blob: Blob, name: string): void {
  if (typeof URL.createObjectURL !== "function") return;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** RFC 4180-ish: quoted fields with doubled quotes, `;` or `,` (whichever the first line has more of),
 * a BOM dropped. */
export function parseCsv(text: string): string[][] {
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell !== ""));
}
