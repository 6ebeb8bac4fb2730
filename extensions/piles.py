"""The stack and host descriptions: what each stack and each host is, said once.

A stack is its folder, `template/{{ for_stack('<stack>') }}/`, and its description, `piles/<stack>.yml`;
a host is its description, `hebergeurs/<host>.yml`. The questions (`stack`, `hosting`), the shared
templates and the shared tests read the descriptions; none of them names a stack or a host as a value.
What a description holds, and why: docs/ajouter-une-pile.md.
"""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath

import yaml
from jinja2 import Undefined, pass_context
from jinja2.ext import Extension

ROOT = Path(__file__).resolve().parent.parent
STACKS_DIR = ROOT / "piles"
HOSTS_DIR = ROOT / "hebergeurs"

# What every stack description must say; an app stack (`application: true`) says more.
STACK_KEYS = (
    "label",
    "order",
    "summary",
    "application",
    "hosts",
    "adopts_existing_repository",
    "extra_docs",
    "dependabot",
    "workflow_prefix",
    "gitignore",
    "shared_files",
    "texts",
)
# Where the files a stack writes as they are shared (`shared_files`) may come from.
SHARED_FOLDERS = ("includes", "template")
APP_STACK_KEYS = ("page_texts", "production_switch", "measure", "error_tracking", "deploy")
# The texts the shared templates read from a stack (`texts.<slot>`): an app stack says how its own
# application does things; a stack without one says what the team does instead, everywhere.
APP_STACK_TEXTS = ("readme_run", "matomo_site_id_known", "matomo_step_note", "matomo_integration")
OTHER_STACK_TEXTS = (
    "readme_dsfr",
    "readme_publisher_missing",
    "matomo_intro",
    "matomo_site_id_known",
    "matomo_site_id_missing",
    "matomo_step_enter",
    "matomo_code_heading",
    "matomo_criteria",
    "matomo_opt_out",
    "matomo_snippet_intro",
    "matomo_integration",
    "liens_consent",
)
HOST_KEYS = (
    "label",
    "order",
    "legal",
    "database",
    "front_proxy",
    "variables_where",
    "release_variable",
    "provisional_domain",
    "stack_needs",
    "deploy_steps",
)
# What an app stack says about deploying, on any host (`deploy`); each host adds what it needs (`stack_needs`).
DEPLOY_KEYS = ("address", "database", "force_https", "per_host")
ADDRESS_KEYS = ("variable", "value", "several", "step")
MEASURE_MOMENTS = ("runtime", "build")


class DescriptionError(ValueError):
    """A description that misses what the shared templates need: said before anything is rendered."""


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML keeps the last of two equal keys without a word: in a description, that hides a text."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=True) for key, _ in node.value]
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            raise DescriptionError(f"ligne {node.start_mark.line + 1} : clé répétée ({', '.join(repeated)}).")
        return super().construct_mapping(node, deep)


def _load_folder(folder: Path) -> dict[str, dict]:
    descriptions = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            description = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        except DescriptionError as error:
            raise DescriptionError(f"{folder.name}/{path.name}, {error}") from None
        if not isinstance(description, dict):
            raise DescriptionError(f"{folder.name}/{path.name} : une description est un dictionnaire YAML.")
        descriptions[path.stem] = {"name": path.stem, **description}
    return dict(sorted(descriptions.items(), key=lambda item: (item[1].get("order", 0), item[0])))


def _require(description: dict, keys: tuple[str, ...], where: str, prefix: str = "") -> None:
    missing = [prefix + key for key in keys if key not in description]
    if missing:
        raise DescriptionError(f"{where} : il manque {', '.join(missing)}.")


@functools.lru_cache(maxsize=8)
def load_hosts(folder: Path = HOSTS_DIR) -> dict[str, dict]:
    """Every `hebergeurs/<host>.yml`, keyed by host, in question order."""
    hosts = _load_folder(folder)
    if not hosts:
        raise DescriptionError(f"{folder.name}/ : aucune description d'hébergeur.")
    for name, host in hosts.items():
        _require(host, HOST_KEYS, f"hebergeurs/{name}.yml")
    return hosts


@functools.lru_cache(maxsize=8)
def load_stacks(folder: Path = STACKS_DIR, hosts_folder: Path = HOSTS_DIR) -> dict[str, dict]:
    """Every `piles/<stack>.yml`, keyed by stack, in question order, checked against the hosts."""
    stacks = _load_folder(folder)
    if not stacks:
        raise DescriptionError(f"{folder.name}/ : aucune description de pile.")
    hosts = load_hosts(hosts_folder)
    for name, stack in stacks.items():
        where = f"piles/{name}.yml"
        _require(stack, STACK_KEYS, where)
        texts = APP_STACK_TEXTS if stack["application"] else OTHER_STACK_TEXTS
        _require(stack["texts"] or {}, texts, where, prefix="texts.")
        if stack["application"]:
            _require(stack, APP_STACK_KEYS, where)
            if stack["measure"] not in MEASURE_MOMENTS:
                raise DescriptionError(f"{where} : measure vaut {' ou '.join(MEASURE_MOMENTS)}.")
        _check_shared_files(stack["shared_files"], where)
        unknown = [host for host in stack["hosts"] if host not in hosts]
        if unknown:
            raise DescriptionError(f"{where} : hébergeurs inconnus ({', '.join(unknown)}) ; ceux décrits : {', '.join(hosts)}.")
        if stack["application"] and stack["hosts"]:
            _check_deploy(stack["deploy"], {name: hosts[name] for name in stack["hosts"]}, where)
    return stacks


def _check_deploy(deploy, hosts: dict[str, dict], where: str) -> None:
    """What every offered host's steps read from the stack: said before a README misses a step."""
    if not isinstance(deploy, dict):
        raise DescriptionError(f"{where} : deploy est un dictionnaire, ce que la pile demande à ses hébergeurs.")
    _require(deploy, DEPLOY_KEYS, where, prefix="deploy.")
    address = deploy["address"]
    if address is not None:
        _require(address if isinstance(address, dict) else {}, ADDRESS_KEYS, where, prefix="deploy.address.")
        if "{host}" not in str(address["value"]):
            raise DescriptionError(f"{where} : deploy.address.value écrit l'adresse à partir de {{host}}, le nom de domaine.")
    per_host = deploy["per_host"] if isinstance(deploy["per_host"], dict) else {}
    for name, host in hosts.items():
        said = per_host.get(name)
        if not isinstance(said, dict):
            raise DescriptionError(f"{where} : il manque deploy.per_host.{name}, ce que la pile demande à {host['label']}.")
        _require(said, tuple(host["stack_needs"] or ()), where, prefix=f"deploy.per_host.{name}.")


def _check_shared_files(shared_files, where: str) -> None:
    """Each path stays inside the repository; each source is in the template's shared folders."""
    if not isinstance(shared_files, dict):
        raise DescriptionError(f"{where} : shared_files associe un chemin du dépôt à un fichier partagé.")
    for path, source in shared_files.items():
        parts = PurePosixPath(str(path)).parts
        if not parts or PurePosixPath(str(path)).is_absolute() or ".." in parts or "\\" in str(path):
            raise DescriptionError(f"{where} : shared_files, « {path} » n'est pas un chemin dans le dépôt.")
        # Whether the file exists is Jinja's to say when it renders it (TemplateNotFound, with its name).
        source_parts = PurePosixPath(str(source)).parts
        if not source_parts or source_parts[0] not in SHARED_FOLDERS or ".." in source_parts:
            raise DescriptionError(
                f"{where} : shared_files, « {source} » n'est pas un fichier de {' ou '.join(f'{folder}/' for folder in SHARED_FOLDERS)}."
            )


def stack_choices() -> str:
    """The `stack` question's choices, as YAML (Copier renders a string of choices, then parses it)."""
    return yaml.safe_dump({stack["label"]: stack["name"] for stack in load_stacks().values()}, allow_unicode=True, sort_keys=False)


def host_choices() -> str:
    """The `hosting` question's choices, as YAML: every described host (the validator keeps the stack's)."""
    return yaml.safe_dump({host["label"]: host["name"] for host in load_hosts().values()}, allow_unicode=True, sort_keys=False)


def host_error(hosting: str, stack: str) -> str:
    """Why `hosting` does not suit `stack`, in French, or "" when it does."""
    stacks = load_stacks()
    # A stack that deploys nothing is not asked: a host given anyway (`-d hosting=…`) is ignored.
    if stack not in stacks or not stacks[stack]["hosts"] or hosting in stacks[stack]["hosts"]:
        return ""
    hosts = load_hosts()
    offered = ", ".join(f"{hosts[name]['label']} ({name})" for name in stacks[stack]["hosts"])
    return f"hosting : {stacks[stack]['label']} se déploie sur {offered}."


@pass_context
def render_text(context, source: str) -> str:
    """A description's text fragment, rendered with the answers like the file that includes it."""
    if isinstance(source, Undefined):
        source._fail_with_undefined_error()  # a text the description lacks: the error names it
    return context.environment.from_string(source).render(context.get_all())


class StackDescriptions(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["piles"] = load_stacks()
        environment.globals["hebergeurs"] = load_hosts()
        environment.globals["stack_choices"] = stack_choices
        environment.globals["host_choices"] = host_choices
        environment.filters["host_error"] = host_error
        environment.filters["render_text"] = render_text
