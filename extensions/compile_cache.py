"""Compiles each template string once per rendering.

Copier compiles every path part, question value and answers-file path with `from_string`, once per
file: the same few strings (`{{ for_stack('django') }}`, `templates`…) are compiled
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

        # Same signature as Environment.from_string.
        def from_string(source, globals=None, template_class=None):
            if not isinstance(source, str) or globals is not None or template_class is not None:
                return compile_string(source, globals, template_class)
            if source in compiled:
                # Extensions' preprocess hooks still run, as a compilation would run them: Copier's
                # `yield` support resets its state there.
                environment.preprocess(source)
            else:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string
