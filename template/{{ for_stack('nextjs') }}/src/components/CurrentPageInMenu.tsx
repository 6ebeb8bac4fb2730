"use client";

import { usePathname } from "next/navigation";
import { useEffect } from "react";

// Marks the menu link of the current page (aria-current="page", which the DSFR styles), also after a
// client-side navigation: the header itself is rendered once, on the server.
export function CurrentPageInMenu() {
  const pathname = usePathname();
  useEffect(() => {
    for (const link of document.querySelectorAll<HTMLAnchorElement>("#fr-header-main-navigation a.fr-nav__link")) {
      if (link.getAttribute("href") === pathname) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    }
  }, [pathname]);
  return null;
}
