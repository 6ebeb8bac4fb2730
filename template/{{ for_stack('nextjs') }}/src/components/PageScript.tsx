"use client";

import { useEffect } from "react";

// Runs a script of the site (public/) each time the page that needs it is shown, including after a
// client-side navigation, where a <script> tag in the page would not run.
export function PageScript({ src }: { src: string }) {
  useEffect(() => {
    const script = document.createElement("script");
    script.src = src;
    document.body.appendChild(script);
    return () => script.remove();
  }, [src]);
  return null;
}
