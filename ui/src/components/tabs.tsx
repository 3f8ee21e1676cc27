/**
 * Tabs whose choice lives in the URL (`?tab=`), so each tab has its own deep link. Follows the
 * WAI-ARIA tabs pattern: ←/→ move between tabs, the panel is labelled by its tab.
 */
import { type KeyboardEvent, type ReactNode, useId, useRef } from "react";

export interface Tab {
  id: string;
  label: ReactNode;
}

export function Tabs({ tabs, current, onChange, children, label }: { tabs: readonly Tab[]; current: string; onChange: (id: string) => void; children: ReactNode; label: string }) {
  const base = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const j = (i + d + tabs.length) % tabs.length;
    refs.current[j]?.focus();
    onChange(tabs[j].id);
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-${t.id}`}
            aria-selected={t.id === current}
            aria-controls={`${base}-panel`}
            tabIndex={t.id === current ? 0 : -1}
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${current}`} className="tabpanel">
        {children}
      </div>
    </div>
  );
}
