"""Compiles each template string once per rendering, and plain text not at all.

Copier compiles every path part, question value and answers-file path with `from_string`, once per
file: the same few strings (`{{ for_stack('<pile>') }}`, `templates`…) are compiled
hundreds of times per render, and an update renders three times. A compiled Jinja template does not
depend on the context it is rendered with, so it can be reused as it is.

Most of these strings hold no Jinja at all (`docs`, `site`, `index.html`…): Jinja would render them
to themselves, so they are neither compiled nor rendered, which spares building a context per part.
"""

from __future__ import annotations

from jinja2.ext import Extension


class PlainText:
    """A template whose source holds no Jinja syntax: it renders to its source, whatever the context."""

    def __init__(self, text: str):
        self.text = text

    def render(self, *args, **kwargs) -> str:
        return self.text


def renders_to_itself(environment, source: str) -> bool:
    """True when Jinja would render `source` unchanged: no delimiter, no line prefix, no line break
    (Jinja rewrites line breaks and may drop the last one)."""
    if environment.line_statement_prefix or environment.line_comment_prefix:
        return False
    if "\n" in source or "\r" in source:
        return False
    starts = (environment.block_start_string, environment.variable_start_string, environment.comment_start_string)
    return not any(start in source for start in starts)


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
            elif renders_to_itself(environment, source) and environment.preprocess(source) == source:
                compiled[source] = PlainText(source)
            else:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string
