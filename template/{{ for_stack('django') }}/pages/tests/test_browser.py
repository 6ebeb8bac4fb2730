"""The browser tests are in tests/navigateur/ (Playwright, run by `make test-browser` and `make test`).

They are the ones of the template's other stacks: every page in the system's Chromium, without and
with audience measurement, checked for console errors, third-party requests, cookies, axe-core
violations, security headers, DashLord's rules, broken links and the Matomo opt-out. See
playwright.config.mjs for how the application is served to them.

This file stays, without tests, because a file the template once generated is never removed by an
update: tests a team added here are kept (or shown as a conflict), never deleted.
"""
