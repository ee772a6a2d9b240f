"""The code's layers, read from its import statements: core → regions → domain apps, arrows only downward.

INSTALLED_APPS lists the project's apps lowest layer first; an app may import only the apps before it.
So the core (percontohan) imports no app, regions imports only the core, and two domain apps never
import each other. Within the project no module imports a module that imports it back.
Migrations are left out: they are history, not the code's structure.
"""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
CORE = "percontohan"


def project_apps():
    """The project's apps in INSTALLED_APPS order (those that are folders of the project)."""
    return [name for name in settings.INSTALLED_APPS if "." not in name and (BASE / name / "__init__.py").is_file()]


def modules_of(app):
    for path in sorted((BASE / app).rglob("*.py")):
        relative = path.relative_to(BASE).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        yield ".".join(parts), path


def all_modules():
    return {name: path for app in project_apps() for name, path in modules_of(app)}


def imports_of(path, module, known):
    """(imported project module, line) for every import in the file, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import name` the module.
            found += [
                (f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base, node.lineno)
                for alias in node.names
            ]
    return [(name, line) for name, line in found if name.split(".")[0] in known_apps()]


def known_apps():
    return set(project_apps())


def import_graph():
    known = all_modules()
    graph = {}
    for module, path in known.items():
        graph[module] = {}
        for name, line in imports_of(path, module, known):
            target = name
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != module:
                graph[module].setdefault(target, line)
    return known, graph


def describe(known, module, target, graph):
    return f"{known[module].relative_to(BASE)}:{graph[module][target]} imports {target}"


def test_the_project_apps_are_listed_lowest_layer_first():
    assert project_apps()[:3] == [CORE, "regions", "partners"]
    assert set(project_apps()) >= {"villages", "agreements", "trainings"}


def test_every_app_imports_only_the_apps_below_it():
    known, graph = import_graph()
    order = {app: index for index, app in enumerate(project_apps())}
    upward = [
        describe(known, module, target, graph)
        for module, targets in graph.items()
        for target in targets
        if order[target.split(".")[0]] > order[module.split(".")[0]]
    ]

    assert upward == [], "an app imports an app above it or beside it:\n" + "\n".join(upward)


def test_the_core_imports_no_app_and_regions_only_the_core():
    known, graph = import_graph()
    allowed = {CORE: {CORE}, "regions": {CORE, "regions"}}
    wrong = [
        describe(known, module, target, graph)
        for module, targets in graph.items()
        for target in targets
        if module.split(".")[0] in allowed and target.split(".")[0] not in allowed[module.split(".")[0]]
    ]

    assert wrong == [], "\n".join(wrong)


def test_no_module_imports_a_module_that_imports_it_back():
    known, graph = import_graph()
    cycles = sorted(
        f"{describe(known, module, target, graph)}, and {describe(known, target, module, graph)}"
        for module, targets in graph.items()
        for target in targets
        if module < target and module in graph.get(target, {})
    )

    assert cycles == [], "\n".join(cycles)
