"""Compiles each template string once per rendering, plain text not at all, and each template file
once per machine and release.

Copier compiles every path part, question value and answers-file path with `from_string`, once per
file: the same few strings (`{{ for_stack('<pile>') }}`, `templates`…) are compiled
hundreds of times per render, and an update renders three times. A compiled Jinja template does not
depend on the context it is rendered with, so it can be reused as it is.

Most of these strings hold no Jinja at all (`docs`, `site`, `index.html`…): Jinja would render them
to themselves, so they are neither compiled nor rendered, which spares building a context per part.

Template files (README.md.jinja, the page texts, the includes…) are compiled by Jinja's loader; their
compiled code is kept in Jinja's bytecode cache (TemplateFilesCache below), so the next copy or update
of the same release on the same machine skips compiling them. Strings are not kept there: they are
many and small, and writing a cache file for each costs a first copy more than compiling them.
"""

from __future__ import annotations

import contextlib
import json
from hashlib import sha256

import jinja2
from jinja2 import nodes
from jinja2.bccache import FileSystemBytecodeCache
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
            if not isinstance(source, (str, nodes.Template)):
                # Copier passes every question value, booleans included, and keeps the value as it is
                # on Jinja's TypeError: the same error, without a compilation to reach it.
                raise TypeError("Can't compile non template nodes")
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


class TemplateFilesCache(FileSystemBytecodeCache):
    """Jinja's own bytecode cache, in the user's private temporary folder (Jinja creates it with mode
    0700 and refuses one that another user owns).

    Jinja keys a file on its absolute path, which for Copier is a fresh temporary clone at every copy:
    nothing would ever be found again. Here the key is what the compiled code depends on: the file's
    path inside the template, its source, Jinja's and Copier's versions and the environment's syntax
    and extensions. A file changed by a new release gets a key of its own, so an update, which renders
    the old and the new release, finds both. A cache that cannot be read or written only means
    compiling, as without it.
    """

    def __init__(self):
        super().__init__()
        self.fingerprints = {}

    def get_bucket(self, environment, name, filename, source):
        if id(environment) not in self.fingerprints:
            self.fingerprints[id(environment)] = environment_fingerprint(environment)
        digest = sha256(f"{self.fingerprints[id(environment)]}\0{name}\0{source}".encode()).hexdigest()
        return super().get_bucket(environment, digest, None, source)

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile again
            bucket.reset()

    def dump_bytecode(self, bucket):
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def environment_fingerprint(environment) -> str:
    """What, besides the source, changes the code Jinja compiles a template to."""
    import copier

    settings = {
        name: getattr(environment, name)
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
        )
    }
    settings["autoescape"] = stable_name(environment.autoescape)
    settings["finalize"] = stable_name(environment.finalize)
    settings["extensions"] = sorted(environment.extensions)
    settings["versions"] = (jinja2.__version__, getattr(copier, "__version__", ""))
    return json.dumps(settings, sort_keys=True, default=stable_name)


def stable_name(value):
    """A function by its qualified name: its repr holds an address that changes at every run."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return value


class CompiledFilesCache(Extension):
    """Keeps the compiled template files from one copy or update to the next on the same machine."""

    def __init__(self, environment):
        super().__init__(environment)
        if environment.bytecode_cache is None:
            # Without a private temporary folder, every copy compiles, as without the cache.
            with contextlib.suppress(OSError, RuntimeError):
                environment.bytecode_cache = TemplateFilesCache()
