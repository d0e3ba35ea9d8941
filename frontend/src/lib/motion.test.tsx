import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { usePrefersReducedMotion } from "./motion";

function Probe() {
  return <span>{usePrefersReducedMotion() ? "reduced" : "full"}</span>;
}

function fakeMatchMedia(initial: boolean) {
  let matches = initial;
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return matches;
    },
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  vi.spyOn(window, "matchMedia").mockImplementation(() => query as unknown as MediaQueryList);
  return {
    set(value: boolean) {
      matches = value;
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

describe("usePrefersReducedMotion", () => {
  afterEach(() => vi.restoreAllMocks());

  it("follows the system setting and its changes", () => {
    const media = fakeMatchMedia(false);
    const { unmount } = render(<Probe />);
    expect(screen.getByText("full")).toBeInTheDocument();
    act(() => media.set(true));
    expect(screen.getByText("reduced")).toBeInTheDocument();
    unmount();
    expect(media.listeners.size).toBe(0);
  });
});
