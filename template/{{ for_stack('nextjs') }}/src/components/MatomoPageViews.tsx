"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

type MatomoQueue = { push: (command: unknown[]) => void };

declare global {
  interface Window {
    _paq?: MatomoQueue | unknown[][];
  }
}

// suivi.js counts the page the visitor opens; pages reached afterwards through Next.js's client-side
// navigation do not reload it, so each one is counted here, once.
export function MatomoPageViews() {
  const address = usePathname();
  const counted = useRef<string | null>(null);

  useEffect(() => {
    if (counted.current === null) {
      counted.current = address; // the first page: already counted by suivi.js
      return;
    }
    if (counted.current === address) {
      return;
    }
    counted.current = address;
    // Let Next.js write the new page's title first.
    const timer = window.setTimeout(() => {
      const queue = (window._paq = window._paq || []) as MatomoQueue;
      queue.push(["setCustomUrl", window.location.href]);
      queue.push(["setDocumentTitle", document.title]);
      queue.push(["trackPageView"]);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [address]);

  return null;
}
