"""The stack folders of the template: what each stack adds to what every repository gets.

`template/` holds the files of every generated repository; each stack's own files live under
`template/{{ for_stack('<stack>') }}/`. That folder name renders to "." for the chosen stack, so its
files land at the root of the generated repository, and to "" for any other stack, which Copier skips
with everything under it.
"""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.ext import Extension


@pass_context
def for_stack(context, stack: str) -> str:
    return "." if context.get("stack") == stack else ""


class StackFolders(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["for_stack"] = for_stack
