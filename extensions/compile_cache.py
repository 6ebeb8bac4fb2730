"""Compiles each template string once per rendering.

Copier compiles every path part, question value and answers-file path with `from_string`, once per
file: the same few strings (`{% if stack == 'django' %}pages{% endif %}`, `templates`…) are compiled
hundreds of times per render, and an update renders three times. A compiled Jinja template does not
depend on the context it is rendered with, so it can be reused as it is.
"""

from __future__ import annotations

from jinja2.ext import Extension


class CompileCache(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        compile_string = environment.from_string
        compiled = {}

        def from_string(source, globals=None, template_class=None):  # noqa: A002 (Jinja's own signature)
            if globals is not None or template_class is not None or not isinstance(source, str):
                return compile_string(source, globals, template_class)
            if source not in compiled:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string
