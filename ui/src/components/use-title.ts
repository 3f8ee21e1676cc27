import { useEffect } from "react";

/** Sets the document title (what a screen reader announces on navigation and what tabs show). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Keel`;
  }, [title]);
}
